// Checks the built app (dist/) before it is deployed (issue "Reliability and security", point 4;
// README "Sikkerhet og pålitelighet"):
// - index.html carries a Content-Security-Policy <meta> whose script-src (or default-src) has no
//   'unsafe-inline' or 'unsafe-eval', and object-src 'none';
// - no inline <script> (every <script> has a src), no inline event handlers (onclick=...);
// - no source maps (*.map files or sourceMappingURL comments);
// - nothing that looks like a secret: JWTs (access/id tokens), private keys, private JWKs, client
//   secrets, bearer tokens.
// Usage: `node --import tsx scripts/check-build.ts [dist]`; exits 1 and lists the problems.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';

export interface BuildProblem {
  file: string;
  /** Norwegian, for the developer running the check. */
  message: string;
}

const TEXT_EXTENSIONS = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.webmanifest', '.xml']);

// Token-like strings. Library code names these things (e.g. oauth4webapi's `client_secret_basic`), so
// each pattern needs a value, not only the word.
const SECRET_PATTERNS: readonly { name: string; pattern: RegExp }[] = [
  { name: 'JWT (token)', pattern: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/ },
  { name: 'privat nøkkel (PEM)', pattern: /-----BEGIN (?:RSA |EC |ENCRYPTED |OPENSSH )?PRIVATE KEY-----/ },
  { name: 'privat JWK', pattern: /"kty"\s*:\s*"(?:EC|RSA|OKP)"[^}]{0,400}"d"\s*:\s*"[A-Za-z0-9_-]{16,}"/ },
  { name: 'klienthemmelighet', pattern: /client_secret["']?\s*[:=]\s*["'][^"'\s]{8,}["']/ },
  { name: 'bearer-token', pattern: /Bearer\s+[A-Za-z0-9._~+/-]{24,}=*/ },
  { name: 'AWS-nøkkel', pattern: /AKIA[0-9A-Z]{16}/ },
];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** The directives of a CSP string: name -> sources (lower-cased names, sources as written). */
export function parseCsp(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/).filter((t) => t.length > 0);
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/** Problems with the CSP meta and inline script in one HTML document. */
export function checkHtml(file: string, html: string): BuildProblem[] {
  const problems: BuildProblem[] = [];
  const add = (message: string) => problems.push({ file, message });
  // HTML comments may mention <script> in prose; they are not markup.
  const markup = html.replace(/<!--[\s\S]*?-->/g, '');

  const metas = [...markup.matchAll(/<meta\b[^>]*>/gi)].map((m) => m[0]);
  const cspMeta = metas.find((m) => attribute(m, 'http-equiv')?.toLowerCase() === 'content-security-policy');
  const policy = cspMeta ? attribute(cspMeta, 'content') : undefined;
  if (!policy) {
    add('Mangler <meta http-equiv="Content-Security-Policy">.');
  } else {
    const csp = parseCsp(policy);
    const scriptSrc = csp.get('script-src') ?? csp.get('default-src');
    if (!scriptSrc) add('CSP mangler script-src (og default-src).');
    else {
      for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:']) {
        if (scriptSrc.some((s) => s.toLowerCase() === unsafe)) add(`CSP script-src tillater ${unsafe}.`);
      }
    }
    const objectSrc = csp.get('object-src') ?? csp.get('default-src');
    if (!objectSrc || objectSrc.join(' ') !== "'none'") add("CSP mangler object-src 'none'.");
  }

  for (const match of markup.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const attrs = match[1] ?? '';
    const body = match[2] ?? '';
    if (attribute(`<script ${attrs}>`, 'src') === undefined) add(`Inline <script> uten src: «${body.trim().slice(0, 60)}».`);
    else if (body.trim().length > 0) add('<script> med både src og innhold.');
  }
  for (const match of markup.matchAll(/<[a-z][^>]*\son[a-z]+\s*=/gi)) {
    add(`Inline hendelsesbehandler: «${match[0].slice(0, 60)}».`);
  }
  if (/\bhref\s*=\s*["']?\s*javascript:/i.test(markup)) add('javascript:-lenke i HTML.');
  return problems;
}

/** Secrets in the text of one file. */
export function checkSecrets(file: string, content: string): BuildProblem[] {
  return SECRET_PATTERNS.filter(({ pattern }) => pattern.test(content)).map(({ name }) => ({
    file,
    message: `Ser ut som en hemmelighet (${name}).`,
  }));
}

export function checkBuild(distDir: string): BuildProblem[] {
  const problems: BuildProblem[] = [];
  let files: string[];
  try {
    files = walk(distDir);
  } catch {
    return [{ file: distDir, message: 'Fant ikke byggmappen. Kjør `npx vite build` først.' }];
  }
  const rel = (f: string) => relative(distDir, f) || f;
  if (!files.some((f) => rel(f) === 'index.html')) problems.push({ file: 'index.html', message: 'Mangler index.html.' });
  for (const file of files) {
    const name = rel(file);
    if (file.endsWith('.map')) {
      problems.push({ file: name, message: 'Kildekart (source map) skal ikke leveres.' });
      continue;
    }
    if (!TEXT_EXTENSIONS.has(extname(file))) continue;
    const content = readFileSync(file, 'utf8');
    if (/\/[/*]#\s*sourceMappingURL=/.test(content)) problems.push({ file: name, message: 'Peker til et kildekart (sourceMappingURL).' });
    if (extname(file) === '.html') problems.push(...checkHtml(name, content));
    problems.push(...checkSecrets(name, content));
  }
  return problems;
}

function main(): void {
  const dir = process.argv[2] ?? 'dist';
  const problems = checkBuild(dir);
  if (problems.length === 0) {
    console.log(`[check-build] ${dir}: OK (CSP uten 'unsafe-inline' i script-src, ingen inline-skript, ingen kildekart, ingen hemmeligheter)`);
    return;
  }
  for (const p of problems) console.error(`[check-build] ${p.file}: ${p.message}`);
  process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) main();
