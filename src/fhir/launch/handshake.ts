// The data that must survive the round trip to the authorization server. Stored in sessionStorage under
// `pht.launch.<state>` ONLY: two launches in two tabs (or two in one tab) never read each other's
// verifier, and a response whose `state` we did not issue finds nothing (SMART App Launch 2.x, RFC 6749
// §10.12). Removed as soon as the code has been exchanged.
import type { KeyValueStorage } from './port';
import type { LaunchKind } from '../session';

export const HANDSHAKE_PREFIX = 'pht.launch.';
/** A handshake older than this is abandoned (the user closed the login page). */
export const HANDSHAKE_MAX_AGE_MS = 10 * 60_000;

export interface Handshake {
  launchKind: LaunchKind;
  iss: string;
  clientId: string;
  redirectUri: string;
  codeVerifier: string;
  requestedScopes: string[];
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  idTokenSigningAlgs?: string[];
  issParameterSupported: boolean;
  createdAt: number;
}

export function handshakeKey(state: string): string {
  return `${HANDSHAKE_PREFIX}${state}`;
}

export function saveHandshake(storage: KeyValueStorage, state: string, handshake: Handshake): void {
  storage.setItem(handshakeKey(state), JSON.stringify(handshake));
}

/** Reads the handshake for `state`, or undefined if there is none or it is not ours/too old. */
export function loadHandshake(storage: KeyValueStorage, state: string, now: number): Handshake | undefined {
  const raw = storage.getItem(handshakeKey(state));
  if (raw === null) return undefined;
  const parsed = parseHandshake(raw);
  if (!parsed || now - parsed.createdAt > HANDSHAKE_MAX_AGE_MS) return undefined;
  return parsed;
}

export function removeHandshake(storage: KeyValueStorage, state: string): void {
  storage.removeItem(handshakeKey(state));
}

/** Drops abandoned handshakes so sessionStorage does not collect verifiers. */
export function sweepStaleHandshakes(storage: KeyValueStorage, now: number): void {
  const stale: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (!key?.startsWith(HANDSHAKE_PREFIX)) continue;
    const parsed = parseHandshake(storage.getItem(key) ?? '');
    if (!parsed || now - parsed.createdAt > HANDSHAKE_MAX_AGE_MS) stale.push(key);
  }
  stale.forEach((key) => storage.removeItem(key));
}

function str(obj: object, key: string): string | undefined {
  const value: unknown = Reflect.get(obj, key);
  return typeof value === 'string' ? value : undefined;
}

function strings(obj: object, key: string): string[] | undefined {
  const value: unknown = Reflect.get(obj, key);
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

function parseHandshake(raw: string): Handshake | undefined {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const launchKind = str(json, 'launchKind');
  const createdAt: unknown = Reflect.get(json, 'createdAt');
  const iss = str(json, 'iss');
  const clientId = str(json, 'clientId');
  const redirectUri = str(json, 'redirectUri');
  const codeVerifier = str(json, 'codeVerifier');
  const requestedScopes = strings(json, 'requestedScopes');
  const issuer = str(json, 'issuer');
  const authorizationEndpoint = str(json, 'authorizationEndpoint');
  const tokenEndpoint = str(json, 'tokenEndpoint');
  if (
    (launchKind !== 'ehr' && launchKind !== 'standalone') ||
    typeof createdAt !== 'number' ||
    !iss ||
    !clientId ||
    !redirectUri ||
    !codeVerifier ||
    !requestedScopes ||
    !issuer ||
    !authorizationEndpoint ||
    !tokenEndpoint
  ) {
    return undefined;
  }
  return {
    launchKind,
    iss,
    clientId,
    redirectUri,
    codeVerifier,
    requestedScopes,
    issuer,
    authorizationEndpoint,
    tokenEndpoint,
    idTokenSigningAlgs: strings(json, 'idTokenSigningAlgs'),
    issParameterSupported: Reflect.get(json, 'issParameterSupported') === true,
    createdAt,
  };
}
