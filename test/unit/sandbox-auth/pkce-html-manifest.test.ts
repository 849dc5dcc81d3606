import { describe, expect, test } from 'vitest';
import { escapeHtml, html } from '../../../sandbox/auth/html';
import { AppRegistration } from '../../../sandbox/auth/manifest';
import { isS256Challenge, s256Challenge, verifyS256 } from '../../../sandbox/auth/pkce';
import manifest from '../../../manifest.json';

describe('PKCE S256', () => {
  // RFC 7636 Appendix B.
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  test('matches the RFC 7636 example', () => {
    expect(s256Challenge(verifier)).toBe(challenge);
    expect(verifyS256(verifier, challenge)).toBe(true);
    expect(isS256Challenge(challenge)).toBe(true);
  });

  test.each([
    ['another verifier', 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXz'],
    ['the challenge itself (plain)', challenge],
    ['a too short verifier', 'short'],
  ])('refuses %s', (_case, candidate) => {
    expect(verifyS256(candidate, challenge)).toBe(false);
  });

  test.each(['', 'abc', `${challenge}=`, challenge.replace('-', '+')])('%j is not an S256 challenge', (value) => {
    expect(isS256Challenge(value)).toBe(false);
  });
});

describe('html', () => {
  test('escapes every interpolation but nested fragments', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}${['<', 1]}${undefined}${false}</p>`.value).toBe('<p><b>&lt;i&gt;</b>&lt;1</p>');
  });
});

describe('AppRegistration', () => {
  const app = new AppRegistration(manifest, ['http://127.0.0.1:5174/ignored-path']);

  test.each<[string, boolean]>([
    // manifest.json registers the app server's callback (issue 14).
    ['http://localhost:5173/auth/callback', true],
    ['http://127.0.0.1:5174/auth/callback', true],
    ['http://localhost:5173/', false],
    ['http://localhost:5173/auth/callback?x=1', false],
    ['http://localhost:5173/auth/callback/other', false],
    ['https://localhost:5173/auth/callback', false],
    ['http://evil.example/auth/callback', false],
  ])('redirect_uri %s accepted: %s', (uri, accepted) => {
    expect(app.acceptsRedirectUri(uri)).toBe(accepted);
  });

  test('launch URL on the registered or an extra origin', () => {
    expect(app.launchUrl().href).toBe('http://localhost:5173/launch');
    expect(app.launchUrl('http://127.0.0.1:5174').href).toBe('http://127.0.0.1:5174/launch');
    expect(app.acceptsOrigin('http://127.0.0.1:5174')).toBe(true);
    expect(app.acceptsOrigin('http://evil.example')).toBe(false);
  });
});
