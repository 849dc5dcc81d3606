// Key pairs of the simulated EPJ: the access-token key (ES256), the id_token key (RS256, which SMART's
// "sso-openid-connect" requires) and the backend client's key. Generated with jose on first start and
// kept in the sandbox's data directory (never committed: .sandbox-data/ is ignored), so tokens and the
// sweep's registered key survive a restart.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

/** ES256: small keys and signatures, and supported by every SMART client library we know. */
export const KEY_ALG = 'ES256';
/** SMART App Launch 2.2 "sso-openid-connect": id_tokens SHALL be signed with RS256. */
export const ID_TOKEN_ALG = 'RS256';
export type KeyAlg = typeof KEY_ALG | typeof ID_TOKEN_ALG;

export interface KeyPair {
  kid: string;
  alg: KeyAlg;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** Private JWK including `kid` and `alg`. */
  privateJwk: JWK;
  /** Public JWK (with `kid alg use`), as published at /auth/jwks. */
  publicJwk: JWK;
}

function publicPart(privateJwk: JWK, alg: KeyAlg): JWK {
  if (alg === KEY_ALG) {
    if (privateJwk.kty !== 'EC' || privateJwk.crv !== 'P-256' || !privateJwk.d || !privateJwk.x || !privateJwk.y) {
      throw new Error('Expected a private P-256 EC JWK');
    }
    return { kty: 'EC', crv: 'P-256', x: privateJwk.x, y: privateJwk.y };
  }
  if (privateJwk.kty !== 'RSA' || !privateJwk.d || !privateJwk.n || !privateJwk.e) throw new Error('Expected a private RSA JWK');
  return { kty: 'RSA', n: privateJwk.n, e: privateJwk.e };
}

export async function keyPairFromJwk(privateJwk: JWK, alg: KeyAlg = KEY_ALG): Promise<KeyPair> {
  const publicJwk = publicPart(privateJwk, alg);
  const kid = privateJwk.kid ?? (await calculateJwkThumbprint(publicJwk));
  const withKid: JWK = { ...publicJwk, kid, alg, use: 'sig' };
  return {
    kid,
    alg,
    privateKey: asCryptoKey(await importJWK({ ...privateJwk, kid, alg }, alg)),
    publicKey: asCryptoKey(await importJWK(withKid, alg)),
    privateJwk: { ...privateJwk, kid, alg },
    publicJwk: withKid,
  };
}

function asCryptoKey(key: CryptoKey | Uint8Array): CryptoKey {
  // importJWK only returns bytes for symmetric ("oct") keys, which keyPairFromJwk has ruled out.
  if (key instanceof Uint8Array) throw new Error('Expected an asymmetric key');
  return key;
}

export async function generateKeyPairJwk(alg: KeyAlg = KEY_ALG): Promise<KeyPair> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return keyPairFromJwk(await exportJWK(privateKey), alg);
}

/**
 * The key stored in `file`, or a new one written there (mode 0600). Without a file the key lives only
 * as long as the process, which is what tests want.
 */
export async function loadOrCreateKeyPair(file: string | undefined, alg: KeyAlg = KEY_ALG): Promise<KeyPair> {
  if (!file) return generateKeyPairJwk(alg);
  let stored: string | undefined;
  try {
    stored = await readFile(file, 'utf8');
  } catch (error) {
    if (!isFileNotFound(error)) throw error;
  }
  if (stored !== undefined) {
    const parsed: unknown = JSON.parse(stored);
    if (!isJwk(parsed)) throw new Error(`${file} does not hold a JWK; delete it to generate a new key`);
    return keyPairFromJwk(parsed, alg);
  }
  const created = await generateKeyPairJwk(alg);
  await mkdir(dirname(file), { recursive: true });
  // 'wx' fails if another process created the file meanwhile, instead of silently replacing its key.
  await writeFile(file, `${JSON.stringify(created.privateJwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return created;
}

function isFileNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

function isJwk(value: unknown): value is JWK {
  return typeof value === 'object' && value !== null && 'kty' in value && typeof value.kty === 'string';
}
