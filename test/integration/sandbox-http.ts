// Shared by the sandbox security, robustness and fuzz tests: the FHIR server on port 0 behind fixed
// bearer strings (each mapped to a grant), and a fetch helper that parses the body.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { AuthenticationError, type AccessContext } from '../../sandbox/auth/types';
import { createFhirServer, type FhirServer } from '../../sandbox/fhir/server';

const FAR_FUTURE = 4_102_444_800;

export const GRANTS: Record<string, AccessContext> = {
  admin: { kind: 'user', clientId: 'app', scopes: ['user/*.cruds'], fhirUser: 'Practitioner/gp1', expiresAt: FAR_FUTURE },
  narrow: { kind: 'user', clientId: 'app', scopes: ['user/Patient.rs', 'user/Condition.rs'], fhirUser: 'Practitioner/gp1', expiresAt: FAR_FUTURE },
  pA: { kind: 'user', clientId: 'app', scopes: ['patient/*.cruds'], patient: 'pA', expiresAt: FAR_FUTURE },
};

export interface Started {
  fhir: FhirServer;
  http: Server;
  base: string;
  call<T = unknown>(method: string, path: string, opts?: CallOptions): Promise<Sent<T>>;
  stop(): Promise<void>;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  raw?: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
}

export interface Sent<T> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** `onRequest` sees every request before the FHIR server does (tests use it to order events). */
export async function startFhir(opts: { dataDir?: string; onRequest?: (req: IncomingMessage, res: ServerResponse) => void } = {}): Promise<Started> {
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/fhir`;
  const fhir = await createFhirServer({
    baseUrl: base,
    dataDir: opts.dataDir,
    authenticate: async (header) => {
      const grant = GRANTS[header?.replace(/^Bearer /, '') ?? ''];
      if (!grant) throw new AuthenticationError('unknown token');
      return grant;
    },
  });
  http.on('request', (req, res) => {
    opts.onRequest?.(req, res);
    void fhir.handle(req, res);
  });
  async function call<T>(method: string, path: string, o: CallOptions = {}): Promise<Sent<T>> {
    const headers: Record<string, string> = { ...o.headers };
    const token = o.token === undefined ? 'admin' : o.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | Uint8Array<ArrayBuffer> | undefined = o.raw;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/fhir+json';
    }
    const res = await fetch(path.startsWith('http') ? path : `${base}/${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }
  return {
    fhir,
    http,
    base,
    call,
    async stop() {
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
      await fhir.close();
    },
  };
}

export function issueText(o: OperationOutcome | undefined): string {
  return o?.issue?.map((i) => i.details?.text ?? i.diagnostics ?? '').join(' ') ?? '';
}
