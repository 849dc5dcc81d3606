// The built app's security properties (issue "Reliability and security", point 4): run the check on
// the real dist/, and show on small fabricated builds that each check catches what it is for.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { checkBuild, checkHtml, parseCsp } from '../../../scripts/check-build';

const GOOD_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'";
const page = (csp: string | undefined, body = '<script type="module" src="/assets/index.js"></script>') =>
  `<!doctype html><html><head>${csp === undefined ? '' : `<meta http-equiv="Content-Security-Policy" content="${csp}" />`}${body}</head><body><div id="root"></div></body></html>`;

const temp: string[] = [];
afterAll(() => temp.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fakeDist(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pht-dist-'));
  temp.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

describe('the real build', () => {
  test('dist/ passes: CSP meta without unsafe-inline scripts, no inline script, no source maps, no secrets', () => {
    if (!existsSync('dist/index.html') || process.env.PHT_REBUILD === '1') {
      const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
      expect(built.status).toBe(0);
    }
    expect(checkBuild('dist')).toEqual([]);
  }, 120_000);
});

describe('each check can fail', () => {
  test('a clean fabricated build passes', () => {
    expect(checkBuild(fakeDist({ 'index.html': page(GOOD_CSP), 'assets/index.js': 'console.log(1)' }))).toEqual([]);
  });

  test.each([
    ['no CSP meta', page(undefined), 'Mangler <meta http-equiv="Content-Security-Policy">'],
    ["'unsafe-inline' in script-src", page("default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'"), "script-src tillater 'unsafe-inline'"],
    ["'unsafe-eval' in script-src", page("script-src 'self' 'unsafe-eval'; object-src 'none'"), "script-src tillater 'unsafe-eval'"],
    ["'unsafe-inline' via default-src when script-src is absent", page("default-src 'self' 'unsafe-inline'; object-src 'none'"), "tillater 'unsafe-inline'"],
    ["no object-src 'none'", page("default-src 'self'; script-src 'self'"), "object-src 'none'"],
    ['an inline script', page(GOOD_CSP, '<script>window.token = 1</script>'), 'Inline <script> uten src'],
    ['an inline event handler', page(GOOD_CSP, '<img src="x" onerror="alert(1)">'), 'Inline hendelsesbehandler'],
  ])('%s', (_name, html, message) => {
    const problems = checkBuild(fakeDist({ 'index.html': html }));
    expect(problems.map((p) => p.message).join(' | ')).toContain(message);
  });

  test('a <script> mentioned in an HTML comment is not markup', () => {
    expect(checkHtml('index.html', page(GOOD_CSP, '<!-- no inline <script>x</script> here --><script src="/a.js"></script>'))).toEqual([]);
  });

  test('source maps: a .map file and a sourceMappingURL comment', () => {
    const problems = checkBuild(
      fakeDist({ 'index.html': page(GOOD_CSP), 'assets/index.js': 'x()\n//# sourceMappingURL=index.js.map', 'assets/index.js.map': '{}' }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { file: 'assets/index.js.map', message: 'Kildekart (source map) skal ikke leveres.' },
        { file: 'assets/index.js', message: 'Peker til et kildekart (sourceMappingURL).' },
      ]),
    );
  });

  const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJudXJzZS0xIiwic2NvcGUiOiJ1c2VyLyouKiJ9.' + 'a'.repeat(43);
  test.each([
    ['a JWT', `const t = "${jwt}";`, 'JWT'],
    ['a PEM private key', '-----BEGIN PRIVATE KEY-----\nMIIE...', 'PEM'],
    ['a private JWK', '{"kty":"EC","crv":"P-256","x":"abc","y":"def","d":"c2VjcmV0LWtleS1tYXRlcmlhbC0xMjM0"}', 'JWK'],
    ['a client secret', 'const cfg = { client_secret: "s3cr3t-value-123" };', 'klienthemmelighet'],
    ['a bearer token', 'headers: "Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789"', 'bearer'],
  ])('secrets: %s', (_name, js, kind) => {
    const problems = checkBuild(fakeDist({ 'index.html': page(GOOD_CSP), 'assets/index.js': js }));
    expect(problems.map((p) => p.message).join(' | ')).toContain(kind);
  });

  test("library words are not secrets (oauth4webapi's client_secret_basic, a Bearer scheme name)", () => {
    const js = 'const m = "client_secret_basic"; h.set("authorization", `Bearer ${token}`); o.client_secret = s;';
    expect(checkBuild(fakeDist({ 'index.html': page(GOOD_CSP), 'assets/index.js': js }))).toEqual([]);
  });

  test('a missing build is reported, not thrown', () => {
    expect(checkBuild('/nonexistent/dist')[0]?.message).toContain('Fant ikke byggmappen');
  });
});

test('parseCsp', () => {
  const csp = parseCsp(" default-src 'self' ; SCRIPT-SRC 'self' https://x ;; ");
  expect(csp.get('script-src')).toEqual(["'self'", 'https://x']);
  expect(csp.get('default-src')).toEqual(["'self'"]);
});
