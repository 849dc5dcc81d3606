// DPoP proofs (RFC 9449), checked at the token and PAR endpoints and by the FHIR server on every request
// with a DPoP-bound token. jose verifies the JWS against the key embedded in its header (EmbeddedJWK) and
// computes the thumbprint (RFC 7638); the RFC 9449 §4.3 claim checks below are the part we write.
import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, errors, jwtVerify } from 'jose';
import { randomId, type ExpiringStore } from './store';

/** Asymmetric algorithms only (RFC 9449 §4.2); advertised as `dpop_signing_alg_values_supported`. */
export const DPOP_ALGS = ['ES256', 'ES384', 'RS256', 'PS256'];
/** How far a proof's `iat` may lie from our clock: in the past (RFC 9449 §11.1: "relatively recent") and ahead (clock skew). */
export const DPOP_MAX_AGE_SECONDS = 60;
const DPOP_FUTURE_TOLERANCE_SECONDS = 5;
/** A server nonce (RFC 9449 §8, §9) is handed out for this long, and accepted until it expires. */
const NONCE_ROTATION_MS = 5 * 60_000;
const NONCE_LIFETIME_MS = 2 * NONCE_ROTATION_MS;

/** Why a proof was refused; `useNonce` = the client must retry with the nonce we send (`use_dpop_nonce`). */
export class DpopError extends Error {
  constructor(message: string, readonly useNonce = false) {
    super(message);
    this.name = 'DpopError';
  }
}

export interface DpopCheck {
  proof: string | string[] | undefined;
  /** HTTP method of the request (`htm`). */
  method: string;
  /** The request's absolute URL; compared without query and fragment (`htu`). */
  url: string;
  /** At the resource server: the access token, whose hash must be the proof's `ath`. */
  accessToken?: string;
  now: number;
}

export interface VerifiedProof {
  /** RFC 7638 SHA-256 thumbprint of the proof key: the token's `cnf.jkt`. */
  jkt: string;
}

/** htu comparison (RFC 9449 §4.3 item 9): scheme, host, port and path; no query or fragment. */
function htuOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return undefined;
  }
}

export class DpopVerifier {
  private nonce: { value: string; issuedAt: number } | undefined;

  constructor(
    private readonly nonces: ExpiringStore<true>,
    /** jti of every proof accepted, remembered as long as its iat is inside the window. */
    private readonly seenJtis: ExpiringStore<true>,
  ) {}

  /** The nonce to send in `DPoP-Nonce`; a new one every few minutes, the previous still accepted. */
  currentNonce(now: number): string {
    if (!this.nonce || now - this.nonce.issuedAt >= NONCE_ROTATION_MS) {
      this.nonce = { value: randomId(), issuedAt: now };
      this.nonces.set(this.nonce.value, true, NONCE_LIFETIME_MS);
    }
    return this.nonce.value;
  }

  /** RFC 9449 §4.3 and §7.1, in that order; the jti is spent only when everything else holds. */
  async verify(check: DpopCheck): Promise<VerifiedProof> {
    if (check.proof === undefined) throw new DpopError('DPoP proof required (DPoP header missing)');
    if (Array.isArray(check.proof) || check.proof.includes(',')) throw new DpopError('Exactly one DPoP header is allowed');
    let payload: Record<string, unknown>;
    let jwk: Parameters<typeof calculateJwkThumbprint>[0];
    try {
      const verified = await jwtVerify(check.proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: DPOP_ALGS, currentDate: new Date(check.now) });
      payload = verified.payload;
      if (!verified.protectedHeader.jwk) throw new DpopError('DPoP proof has no jwk header');
      jwk = verified.protectedHeader.jwk;
    } catch (error) {
      if (error instanceof DpopError) throw error;
      throw new DpopError(`DPoP proof invalid (${error instanceof errors.JOSEError ? error.code : 'not a JWS'})`);
    }
    const { jti, htm, htu, iat, ath, nonce } = payload;
    if (typeof jti !== 'string' || jti.length < 16) throw new DpopError('DPoP proof jti missing or too short');
    if (htm !== check.method) throw new DpopError(`DPoP proof htm must be ${check.method}`);
    if (typeof htu !== 'string' || htuOf(htu) === undefined || htuOf(htu) !== htuOf(check.url)) throw new DpopError('DPoP proof htu does not match the request URL');
    const nowSeconds = Math.floor(check.now / 1000);
    if (typeof iat !== 'number') throw new DpopError('DPoP proof iat missing');
    if (iat > nowSeconds + DPOP_FUTURE_TOLERANCE_SECONDS) throw new DpopError('DPoP proof iat is in the future');
    if (iat < nowSeconds - DPOP_MAX_AGE_SECONDS) throw new DpopError('DPoP proof is too old (iat)');
    if (check.accessToken !== undefined) {
      const expected = createHash('sha256').update(check.accessToken, 'ascii').digest('base64url');
      if (ath !== expected) throw new DpopError(ath === undefined ? 'DPoP proof ath missing' : 'DPoP proof ath does not match the access token');
    }
    if (typeof nonce !== 'string' || !this.nonces.has(nonce)) {
      throw new DpopError(nonce === undefined ? 'DPoP proof needs the server nonce' : 'DPoP nonce unknown or expired', true);
    }
    const jkt = await calculateJwkThumbprint(jwk, 'sha256');
    const replayKey = `${jkt} ${jti}`;
    if (this.seenJtis.has(replayKey)) throw new DpopError('DPoP proof replayed (jti already used)');
    // Kept until the proof's iat falls out of the window, after which it is refused as too old anyway.
    this.seenJtis.set(replayKey, true, (iat - nowSeconds + DPOP_MAX_AGE_SECONDS + 1) * 1000);
    return { jkt };
  }
}
