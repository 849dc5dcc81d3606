// Key pairs of the simulated EPJ: the token-signing key and the backend client's key. Generated with
// jose on first start and kept in the sandbox's data directory (never committed: .sandbox-data/ is
// ignored), so tokens and the sweep's registered key survive a restart.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

/** ES256: small keys and signatures, and supported by every SMART client library we know. */
export const KEY_ALG = 'ES256';

export interface KeyPair {
  kid: string;
  alg: typeof KEY_ALG;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** Private JWK including `kid` and `alg`. */
  privateJwk: JWK;
  /** Public JWK (`kty crv x y kid alg use`), as published at /auth/jwks. */
  publicJwk: JWK;
}

export async function keyPairFromJwk(privateJwk: JWK): Promise<KeyPair> {
  if (privateJwk.kty !== 'EC' || privateJwk.crv !== 'P-256' || !privateJwk.d || !privateJwk.x || !privateJwk.y) {
    throw new Error('Expected a private P-256 EC JWK');
  }
  const publicJwk: JWK = { kty: 'EC', crv: 'P-256', x: privateJwk.x, y: privateJwk.y };
  const kid = privateJwk.kid ?? (await calculateJwkThumbprint(publicJwk));
  const withKid: JWK = { ...publicJwk, kid, alg: KEY_ALG, use: 'sig' };
  return {
    kid,
    alg: KEY_ALG,
    privateKey: asCryptoKey(await importJWK({ ...privateJwk, kid, alg: KEY_ALG }, KEY_ALG)),
    publicKey: asCryptoKey(await importJWK(withKid, KEY_ALG)),
    privateJwk: { ...privateJwk, kid, alg: KEY_ALG },
    publicJwk: withKid,
  };
}

function asCryptoKey(key: CryptoKey | Uint8Array): CryptoKey {
  // importJWK only returns bytes for symmetric ("oct") keys, which keyPairFromJwk has ruled out.
  if (key instanceof Uint8Array) throw new Error('Expected an asymmetric key');
  return key;
}

export async function generateKeyPairJwk(): Promise<KeyPair> {
  const { privateKey } = await generateKeyPair(KEY_ALG, { extractable: true });
  return keyPairFromJwk(await exportJWK(privateKey));
}

/**
 * The key stored in `file`, or a new one written there (mode 0600). Without a file the key lives only
 * as long as the process, which is what tests want.
 */
export async function loadOrCreateKeyPair(file: string | undefined): Promise<KeyPair> {
  if (!file) return generateKeyPairJwk();
  let stored: string | undefined;
  try {
    stored = await readFile(file, 'utf8');
  } catch (error) {
    if (!isFileNotFound(error)) throw error;
  }
  if (stored !== undefined) {
    const parsed: unknown = JSON.parse(stored);
    if (!isJwk(parsed)) throw new Error(`${file} does not hold a JWK; delete it to generate a new key`);
    return keyPairFromJwk(parsed);
  }
  const created = await generateKeyPairJwk();
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
