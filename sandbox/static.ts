// A minimal static file server for the built app (dist/), used by the browser tests and benchmarks.
// It sends the headers a real deployment should copy (README "Sikkerhet og pålitelighet").
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/** Headers for the app's static files. `frame-ancestors` names the EPJ origins allowed to embed the app. */
export function appSecurityHeaders(frameAncestors: string[]): Record<string, string> {
  return {
    'content-security-policy': `frame-ancestors 'self' ${frameAncestors.join(' ')}`.trim(),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  };
}

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

export async function serveStatic(dir: string, opts: { port?: number; frameAncestors?: string[] } = {}): Promise<StaticServer> {
  const headers = appSecurityHeaders(opts.frameAncestors ?? []);
  const root = resolve(dir);
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
      let file = resolve(join(root, path));
      // Inside the root folder itself, not merely a path that starts with its name (`dist-old/`).
      if (file !== root && !file.startsWith(`${root}${sep}`)) {
        res.writeHead(403, headers).end();
        return;
      }
      const isFile = await stat(file).then((s) => s.isFile(), () => false);
      if (!isFile) file = join(root, 'index.html'); // SPA fallback: /launch and / are both the app
      const body = await readFile(file);
      const cache = file.startsWith(`${join(root, 'assets')}${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': cache });
      res.end(body);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500, headers);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
