// Pushed authorization requests (RFC 9126): the client posts the authorization request to the EPJ
// directly, authenticated (private_key_jwt), and sends the browser to the authorization endpoint with
// only `client_id` and the returned `request_uri`. Required by the HelseID-like profile, offered by both.
import { checkPushedRequest } from './authorize';
import { OAuthError } from './errors';
import { PUSHED_REQUEST_LIFETIME_SECONDS, REQUEST_URI_PREFIX, type AuthRuntime } from './runtime';
import { randomId } from './store';
import { authenticateClient, nonceHeader, tokenEndpointProof, type TokenReply } from './token';
import type { AuthRequest } from './types';

export async function pushAuthorizationRequest(rt: AuthRuntime, form: URLSearchParams, request: AuthRequest): Promise<TokenReply> {
  const client = await authenticateClient(rt, form);
  if (rt.profile.requirePar && !client.confidential) throw new OAuthError('invalid_client', 'This issuer accepts confidential clients only');
  // RFC 9449 §10.1: a proof here binds the code to the key, like `dpop_jkt`; both must then agree.
  const jkt = request.headers.dpop === undefined ? undefined : await tokenEndpointProof(rt, request, rt.parUrl);
  const pending = checkPushedRequest(rt, form, client);
  if (jkt && pending.dpopJkt && jkt !== pending.dpopJkt) throw new OAuthError('invalid_dpop_proof', 'dpop_jkt differs from the DPoP proof key');
  const id = randomId();
  rt.pushed.set(id, { ...pending, ...(jkt ? { dpopJkt: jkt } : {}) }, PUSHED_REQUEST_LIFETIME_SECONDS * 1000);
  return {
    body: { request_uri: `${REQUEST_URI_PREFIX}${id}`, expires_in: PUSHED_REQUEST_LIFETIME_SECONDS },
    headers: jkt ? nonceHeader(rt) : {},
  };
}
