// A fault-injecting HTTP proxy in front of the sandbox (reliability tests, SPEC §6 "tested with
// concurrent clients"). It listens on loopback only, forwards to one upstream origin, and, drawn from a
// seeded PRNG so a failing run reproduces, answers some requests with:
//
// - `error500`:   500 without forwarding (nothing was written);
// - `dropBefore`: the connection destroyed without forwarding (nothing was written);
// - `dropAfter`:  forwarded, the upstream's answer thrown away and the connection destroyed: a write can
//                 commit without the client ever seeing the answer;
// - `errorAfter`: forwarded, then 500 instead of the upstream's answer (committed, reported failed);
// - `timeout`:    held for `timeoutMs` without forwarding, then destroyed;
// - `slow`:       forwarded and answered after `slowMs`.
//
// Faults apply to every request or only to writes (POST/PUT/PATCH/DELETE), and stop after `maxFaults`
// (bounded). Origins in answers (Location, Bundle links, fullUrl) are rewritten to the proxy's, so a
// client that checks that paging links stay on its server keeps working.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Rng } from './seed/prng';

export const FAULT_KINDS = ['error500', 'dropBefore', 'dropAfter', 'errorAfter', 'timeout', 'slow'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type FaultRates = Partial<Record<FaultKind, number>>;

export interface FaultProxyOptions {
  /** e.g. 'http://127.0.0.1:8103' (origin only). */
  upstream: string;
  /** Probability per request of each fault; their sum must be at most 1. */
  rates: FaultRates;
  /** Which requests may get a fault. Default 'writes'. */
  scope?: 'all' | 'writes';
  /** Only paths starting with this get faults (default: all paths). */
  pathPrefix?: string;
  seed?: number;
  /** After this many injected faults, everything passes through. Default unlimited. */
  maxFaults?: number;
  slowMs?: number;
  timeoutMs?: number;
}

export interface FaultStats {
  requests: number;
  /** Requests eligible for a fault (in scope). */
  eligible: number;
  forwarded: number;
  faults: Record<FaultKind, number>;
}

export interface FaultProxy {
  origin: string;
  readonly stats: FaultStats;
  /** Change the rates (e.g. 0 for a clean verification phase). */
  setRates(rates: FaultRates): void;
  close(): Promise<void>;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const MAX_BODY_BYTES = 64 * 1024 * 1024;

function checkRates(rates: FaultRates): void {
  let sum = 0;
  for (const kind of FAULT_KINDS) {
    const p = rates[kind] ?? 0;
    if (!Number.isFinite(p) || p < 0 || p > 1) throw new RangeError(`faultProxy: rate ${kind} must be in [0, 1], not ${p}`);
    sum += p;
  }
  if (sum > 1 + 1e-9) throw new RangeError(`faultProxy: the rates add up to ${sum}, more than 1`);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new RangeError('faultProxy: request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

interface UpstreamAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function forward(upstream: URL, req: IncomingMessage, body: Buffer): Promise<UpstreamAnswer> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    const out = httpRequest(
      { protocol: upstream.protocol, hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      (res) => {
        readBody(res).then((answer) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: answer }), reject);
      },
    );
    out.on('error', reject);
    out.end(body);
  });
}

function replyWith(res: ServerResponse, answer: UpstreamAnswer, fromOrigin: string, toOrigin: string): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined || name === 'content-length' || name === 'transfer-encoding' || name === 'connection' || name === 'keep-alive') continue;
    headers[name] = typeof value === 'string' ? value.split(fromOrigin).join(toOrigin) : value;
  }
  const body = Buffer.from(answer.body.toString('utf8').split(fromOrigin).join(toOrigin), 'utf8');
  headers['content-length'] = String(body.length);
  res.writeHead(answer.status, headers);
  res.end(body);
}

function serverError(res: ServerResponse, text: string): void {
  res.writeHead(500, { 'content-type': 'application/fhir+json; charset=utf-8' });
  res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics: text }] }));
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(opts.upstream);
  const upstreamOrigin = upstream.origin;
  let rates: FaultRates = { ...opts.rates };
  checkRates(rates);
  const rng = new Rng(opts.seed ?? 1);
  const scope = opts.scope ?? 'writes';
  const slowMs = opts.slowMs ?? 200;
  const timeoutMs = opts.timeoutMs ?? 2_000;
  const maxFaults = opts.maxFaults ?? Number.POSITIVE_INFINITY;
  const stats: FaultStats = {
    requests: 0,
    eligible: 0,
    forwarded: 0,
    faults: { error500: 0, dropBefore: 0, dropAfter: 0, errorAfter: 0, timeout: 0, slow: 0 },
  };
  let injected = 0;
  let origin = '';

  function pick(req: IncomingMessage): FaultKind | undefined {
    const inScope =
      (scope === 'all' || WRITE_METHODS.has((req.method ?? 'GET').toUpperCase())) &&
      (!opts.pathPrefix || (req.url ?? '/').startsWith(opts.pathPrefix));
    if (!inScope) return undefined;
    stats.eligible++;
    // One draw per eligible request, so the sequence of faults depends only on the seed and the order
    // of requests.
    const r = rng.next();
    if (injected >= maxFaults) return undefined;
    let cumulative = 0;
    for (const kind of FAULT_KINDS) {
      cumulative += rates[kind] ?? 0;
      if (r < cumulative) return kind;
    }
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.requests++;
    const fault = pick(req);
    const body = await readBody(req);
    if (fault) {
      injected++;
      stats.faults[fault]++;
    }
    if (fault === 'error500') return serverError(res, 'Injected fault (faultProxy error500)');
    if (fault === 'dropBefore') {
      req.socket.destroy();
      return;
    }
    if (fault === 'timeout') {
      await delay(timeoutMs);
      req.socket.destroy();
      return;
    }
    stats.forwarded++;
    const answer = await forward(upstream, req, body);
    if (fault === 'dropAfter') {
      req.socket.destroy();
      return;
    }
    if (fault === 'errorAfter') return serverError(res, 'Injected fault after forwarding (faultProxy errorAfter)');
    if (fault === 'slow') await delay(slowMs);
    replyWith(res, answer, upstreamOrigin, origin);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) serverError(res, `faultProxy: ${err instanceof Error ? err.message : String(err)}`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('faultProxy: no TCP address');
  origin = `http://127.0.0.1:${(address satisfies AddressInfo).port}`;

  return {
    origin,
    stats,
    setRates(next) {
      checkRates(next);
      rates = { ...next };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
