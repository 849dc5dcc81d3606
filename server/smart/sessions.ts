// Sessions (issue 14 item 4). The cookie says who the browser is; the per-tab launch handle says which
// launch (patient, user, encounter, EPJ token) a request belongs to. Both are random 256-bit values; a
// request needs both, and the handle must belong to the cookie's browser, so two tabs with two patients
// never mix and a stolen cookie alone (or a handle alone) reaches nothing.
import { randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import type { SessionStore } from './store';

export type EndReason = 'idle' | 'absolute' | 'expired' | 'logout' | 'missing';

export interface EpjToken {
  accessToken: string;
  /** DPoP-bound (RFC 9449) or a plain bearer token. */
  dpop: boolean;
  /** Epoch ms. */
  expiresAt: number;
  refreshToken?: string;
}

export interface LaunchSession {
  /** The browser (cookie) this launch belongs to. */
  sid: string;
  iss: string;
  launchKind: 'ehr' | 'standalone';
  patient?: string;
  encounter?: string;
  /** `Practitioner/<id>` from the validated id_token. */
  fhirUser?: string;
  needPatientBanner: boolean;
  grantedScopes: string[];
  requestedScopes: string[];
  token: EpjToken;
  /** The DPoP key pair the token is bound to (private part never leaves the server). */
  dpopKey?: { privateJwk: JWK; publicJwk: JWK };
  createdAt: number;
  lastSeenAt: number;
}

export interface BrowserSession {
  createdAt: number;
  handles: string[];
}

export interface SessionLimits {
  idleMs: number;
  absoluteMs: number;
  /** Refresh (or end, without a refresh token) this long before the EPJ token expires. */
  tokenMarginMs: number;
}

const ACTIVITY_WRITE_MS = 15_000;

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export class Sessions {
  constructor(
    private readonly browsers: SessionStore<BrowserSession>,
    private readonly launches: SessionStore<LaunchSession>,
    readonly limits: SessionLimits,
    private readonly now: () => number,
  ) {}

  async newBrowser(): Promise<string> {
    const sid = randomToken();
    await this.browsers.put(`sid:${sid}`, { createdAt: this.now(), handles: [] }, this.limits.absoluteMs);
    return sid;
  }

  async browserExists(sid: string): Promise<boolean> {
    return (await this.browsers.get(`sid:${sid}`)) !== undefined;
  }

  async addLaunch(launch: Omit<LaunchSession, 'createdAt' | 'lastSeenAt'>): Promise<string> {
    const handle = randomToken();
    const at = this.now();
    const browser = (await this.browsers.get(`sid:${launch.sid}`)) ?? { createdAt: at, handles: [] };
    await this.launches.put(`launch:${handle}`, { ...launch, createdAt: at, lastSeenAt: at }, this.limits.absoluteMs);
    await this.browsers.put(`sid:${launch.sid}`, { ...browser, handles: [...browser.handles, handle] }, this.limits.absoluteMs);
    return handle;
  }

  /** The launch for this browser and tab, or why there is none. Counts as activity (idle timeout). */
  async resolve(sid: string | undefined, handle: string | undefined): Promise<{ launch: LaunchSession } | { ended: EndReason }> {
    if (!sid || !handle) return { ended: 'missing' };
    const launch = await this.launches.get(`launch:${handle}`);
    // Kept until the absolute timeout, so an idle launch is told apart from one that never existed.
    if (!launch || launch.sid !== sid) return { ended: 'missing' };
    const now = this.now();
    if (now - launch.createdAt >= this.limits.absoluteMs) return this.end(handle, 'absolute');
    if (now - launch.lastSeenAt >= this.limits.idleMs) return this.end(handle, 'idle');
    if (!launch.token.refreshToken && now >= launch.token.expiresAt - this.limits.tokenMarginMs) return this.end(handle, 'expired');
    // Activity is written at most every 15 s: a panel's dozen parallel reads need not each rewrite the
    // session (the idle timeout is minutes).
    if (now - launch.lastSeenAt < ACTIVITY_WRITE_MS) return { launch };
    const seen = { ...launch, lastSeenAt: now };
    await this.launches.put(`launch:${handle}`, seen, this.limits.absoluteMs);
    return { launch: seen };
  }

  async update(handle: string, launch: LaunchSession): Promise<void> {
    await this.launches.put(`launch:${handle}`, launch, this.limits.absoluteMs);
  }

  async end(handle: string, reason: EndReason): Promise<{ ended: EndReason }> {
    await this.launches.delete(`launch:${handle}`);
    return { ended: reason };
  }

  /** Logout: every launch of this browser ends. */
  async endBrowser(sid: string): Promise<void> {
    const browser = await this.browsers.get(`sid:${sid}`);
    for (const handle of browser?.handles ?? []) await this.launches.delete(`launch:${handle}`);
    await this.browsers.delete(`sid:${sid}`);
  }

  /** When the browser must consider the launch over at the latest (absolute timeout or an unrefreshable token). */
  endsAt(launch: LaunchSession): number {
    const absolute = launch.createdAt + this.limits.absoluteMs;
    return launch.token.refreshToken ? absolute : Math.min(absolute, launch.token.expiresAt - this.limits.tokenMarginMs);
  }
}
