// The app's registration (/manifest.json) as the sandbox EPJ reads it, and the URL rules derived from it.

/** The fields of manifest.json this server relies on (RFC 7591 client metadata plus SMART's launch_uri). */
export interface AppManifest {
  client_id: string;
  client_name?: string;
  launch_uri: string;
  redirect_uris: string[];
  scope: string;
  grant_types?: string[];
  token_endpoint_auth_method?: string;
  [other: string]: unknown;
}

/** Rules for one registered public client, optionally also served from extra origins (dev server, tests). */
export class AppRegistration {
  readonly clientId: string;
  readonly scope: string;
  private readonly redirectUris: Set<string>;
  private readonly origins: string[];
  private readonly launchUri: URL;

  constructor(manifest: AppManifest, extraOrigins: string[] = []) {
    this.clientId = manifest.client_id;
    this.scope = manifest.scope;
    this.launchUri = new URL(manifest.launch_uri);
    this.origins = [this.launchUri.origin, ...manifest.redirect_uris.map((u) => new URL(u).origin)];
    for (const origin of extraOrigins) this.origins.push(new URL(origin).origin);
    this.origins = [...new Set(this.origins)];
    this.redirectUris = new Set();
    for (const uri of manifest.redirect_uris) {
      const registered = new URL(uri);
      for (const origin of this.origins) {
        this.redirectUris.add(new URL(registered.pathname + registered.search, origin).href);
      }
    }
  }

  /**
   * Exact string comparison with a registered URI (OAuth 2.0 Security BCP, RFC 9700 §4.1.3): no prefix or
   * pattern matching, which is what open redirectors are made of.
   */
  acceptsRedirectUri(redirectUri: string): boolean {
    return this.redirectUris.has(redirectUri);
  }

  acceptsOrigin(origin: string): boolean {
    return this.origins.includes(origin);
  }

  /** The registered launch_uri, served from `origin` (one of the accepted origins) when given. */
  launchUrl(origin?: string): URL {
    return new URL(this.launchUri.pathname + this.launchUri.search, origin ?? this.launchUri.origin);
  }
}
