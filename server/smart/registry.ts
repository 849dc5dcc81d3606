// The EPJ registry (issue 14 item 2): the allow-list of FHIR servers (`iss`) the app server launches
// against, with how to authenticate to each. One JSON file (server/epj-registry.json, or
// PHT_EPJ_REGISTRY), parsed and validated at start; a bad file stops the server with a message naming
// the field. An `iss` that is not here is refused before any request is sent to it.
import { readFileSync } from 'node:fs';
import { parseCapabilityOverride, type CapabilityOverride } from '../epj/capabilities';

export type TokenEndpointAuth = 'private_key_jwt' | 'client_secret_basic' | 'none';
export type ParMode = 'auto' | 'required' | 'off';
export const SIGNING_ALGS = ['ES256', 'RS256', 'PS256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

export interface EpjEntry {
  name: string;
  /** FHIR base URL without a trailing slash: the launch's `iss` and the token's `aud`. */
  iss: string;
  clientId: string;
  /**
   * `private_key_jwt` with the server's key (the default and HelseID's only method); `client_secret_basic`
   * only where an EPJ demands it (secret from the env variable `clientSecretEnv`); `none` = public client
   * with PKCE only, for an EPJ that offers nothing else (SMART App Launch "client-public").
   */
  tokenEndpointAuth: TokenEndpointAuth;
  alg: SigningAlg;
  clientSecretEnv?: string;
  par: ParMode;
  dpop: boolean;
  /** Origins that may frame the app (CSP frame-ancestors). */
  frameAncestors: string[];
  /** The practice organisation(s) this registration serves (FHIR references). */
  organisations: string[];
  /** Scopes to request; default: manifest.json's. */
  scope?: string;
  /** What this EPJ really offers, over its CapabilityStatement (server/epj/capabilities.ts). */
  capabilities?: CapabilityOverride;
}

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
}

export function normaliseIss(iss: string): string {
  return iss.replace(/\/+$/, '');
}

export class EpjRegistry {
  private readonly byIss: Map<string, EpjEntry>;
  constructor(readonly entries: readonly EpjEntry[]) {
    this.byIss = new Map(entries.map((e) => [e.iss, e]));
  }
  /** Exact match on the normalised FHIR base: no prefixes, no patterns. */
  lookup(iss: string): EpjEntry | undefined {
    return this.byIss.get(normaliseIss(iss));
  }
  frameAncestors(): string[] {
    return [...new Set(this.entries.flatMap((e) => e.frameAncestors))];
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function httpUrl(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new RegistryError(`${field}: må være en URL`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RegistryError(`${field}: «${value}» er ikke en gyldig URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RegistryError(`${field}: må være http(s)`);
  if (url.search || url.hash) throw new RegistryError(`${field}: skal ikke ha spørring eller fragment`);
  return normaliseIss(url.href);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, fallback?: T): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new RegistryError(`${field}: må være en av ${allowed.join(', ')}`);
}

function strings(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new RegistryError(`${field}: må være en liste med tekster`);
  return value;
}

/** Replaces `${NAME}` with vars[NAME]; an entry using a variable set to 'off' is dropped. */
function substitute(text: string, vars: Record<string, string | undefined>): string | undefined {
  let dropped = false;
  const out = text.replace(/\$\{([A-Z_]+)\}/g, (_m, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new RegistryError(`\${${name}} er ikke satt`);
    if (value === 'off') dropped = true;
    return value;
  });
  return dropped ? undefined : out;
}

export function parseRegistry(json: unknown, vars: Record<string, string | undefined>, source = 'EPJ-registeret'): EpjRegistry {
  if (!isRecord(json) || !Array.isArray(json.epjs)) throw new RegistryError(`${source}: «epjs» må være en liste`);
  const entries: EpjEntry[] = [];
  json.epjs.forEach((raw: unknown, i: number) => {
    const at = `${source}: epjs[${i}]`;
    if (!isRecord(raw)) throw new RegistryError(`${at}: må være et objekt`);
    const resolved = substitute(JSON.stringify(raw), vars);
    if (resolved === undefined) return;
    const e = JSON.parse(resolved) as Record<string, unknown>;
    if (typeof e.clientId !== 'string' || !e.clientId) throw new RegistryError(`${at}.clientId: mangler`);
    const tokenEndpointAuth = oneOf(e.tokenEndpointAuth, ['private_key_jwt', 'client_secret_basic', 'none'] as const, `${at}.tokenEndpointAuth`);
    if (tokenEndpointAuth === 'client_secret_basic' && (typeof e.clientSecretEnv !== 'string' || !e.clientSecretEnv)) {
      throw new RegistryError(`${at}.clientSecretEnv: client_secret_basic krever navnet på miljøvariabelen med hemmeligheten`);
    }
    const dpop = e.dpop ?? false;
    if (typeof dpop !== 'boolean') throw new RegistryError(`${at}.dpop: må være true eller false`);
    const entry: EpjEntry = {
      name: typeof e.name === 'string' ? e.name : String(e.iss),
      iss: httpUrl(e.iss, `${at}.iss`),
      clientId: e.clientId,
      tokenEndpointAuth,
      alg: oneOf(e.alg, SIGNING_ALGS, `${at}.alg`, 'ES256'),
      par: oneOf(e.par, ['auto', 'required', 'off'] as const, `${at}.par`, 'auto'),
      dpop,
      frameAncestors: strings(e.frameAncestors, `${at}.frameAncestors`).map((o, j) => new URL(httpUrl(o, `${at}.frameAncestors[${j}]`)).origin),
      organisations: strings(e.organisations, `${at}.organisations`),
      ...(typeof e.clientSecretEnv === 'string' ? { clientSecretEnv: e.clientSecretEnv } : {}),
      ...(typeof e.scope === 'string' ? { scope: e.scope } : {}),
      ...(e.capabilities !== undefined ? { capabilities: parseCapabilityOverride(e.capabilities, `${at}.capabilities`, (m) => new RegistryError(m)) } : {}),
    };
    if (entries.some((x) => x.iss === entry.iss)) throw new RegistryError(`${at}.iss: ${entry.iss} er registrert to ganger`);
    entries.push(entry);
  });
  return new EpjRegistry(entries);
}

export function loadRegistry(path: string, vars: Record<string, string | undefined>): EpjRegistry {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new RegistryError(`${path}: kan ikke leses som JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return parseRegistry(json, vars, path);
}
