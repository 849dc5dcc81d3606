// The app server's own signing keys: one per algorithm the registry uses, generated on first start
// into <data dir>/keys/ (gitignored, 0600) and reused after. The public halves are served as the JWKS
// (/.well-known/jwks.json) that EPJs and HelseID register; the private halves sign private_key_jwt
// client assertions for the launch and for SMART Backend Services (server/smart/backendServices.ts).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { SigningAlg } from './registry';

export interface SigningKey {
  alg: SigningAlg;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface KeyStore {
  get(alg: SigningAlg): SigningKey;
  jwks(): { keys: JWK[] };
}

async function loadOrCreate(dir: string | undefined, alg: SigningAlg): Promise<SigningKey> {
  const file = dir && join(dir, `${alg.toLowerCase()}.private.jwk.json`);
  let privateJwk: JWK;
  if (file && existsSync(file)) {
    privateJwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } else {
    const pair = await generateKeyPair(alg, { extractable: true, ...(alg === 'ES256' ? {} : { modulusLength: 2048 }) });
    privateJwk = { ...(await exportJWK(pair.privateKey)), alg };
    privateJwk.kid = await calculateJwkThumbprint(privateJwk);
    if (file && dir) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(file, JSON.stringify(privateJwk), { mode: 0o600 });
    }
  }
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  const kid = privateJwk.kid ?? (await calculateJwkThumbprint(publicJwk));
  const privateKey = (await importJWK(privateJwk, alg)) as CryptoKey;
  return { alg, kid, privateKey, publicJwk: { ...publicJwk, kid, alg, use: 'sig' } };
}

/** `dir` absent = keys in memory only (tests). */
export async function loadKeyStore(dir: string | undefined, algs: readonly SigningAlg[] = ['ES256']): Promise<KeyStore> {
  const keys = new Map<SigningAlg, SigningKey>();
  for (const alg of new Set<SigningAlg>(['ES256', ...algs])) keys.set(alg, await loadOrCreate(dir, alg));
  return {
    get(alg) {
      const key = keys.get(alg);
      if (!key) throw new Error(`Ingen nøkkel for ${alg}`);
      return key;
    },
    jwks: () => ({ keys: [...keys.values()].map((k) => k.publicJwk) }),
  };
}
