// The app's hashed, immutable assets (dist/assets: JavaScript, CSS, SVG) sent compressed to a browser that
// accepts it: Brotli, else gzip, else as they are. An EPJ window on a practice's network then loads the
// nurse's initial JavaScript as ~95 KB rather than ~300 KB. Each file is compressed once per process, on the
// thread pool (never on the event loop), and kept: the names carry their content's hash, so a file never
// changes under its name. Concurrent first requests for a file share one compression. Brotli quality 5: the
// main bundle (242 KB) in 5 ms to 72 KB; quality 11 saves 6 KB more but takes 284 ms, which the first
// launch after a restart would wait for.
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export type Encoding = 'br' | 'gzip';

/** The file types worth compressing (images and fonts are compressed already). */
const COMPRESSIBLE = new Set(['.js', '.css', '.svg', '.json', '.html', '.webmanifest']);
/** Below this a compressed answer saves less than its headers cost. */
const MIN_BYTES = 1024;

/** The encoding to answer with for an Accept-Encoding header: Brotli when accepted, else gzip, else none. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const quality = q === undefined ? 1 : Number(q.slice(2));
    accepted.set(name.trim(), Number.isFinite(quality) ? quality : 0);
  }
  const ok = (name: Encoding) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return undefined;
}

/** The compressed bytes as a plain view (what a response body takes; zlib's Buffers may sit on a shared pool). */
const view = (b: Buffer): Uint8Array<ArrayBuffer> => new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);

export class CompressedAssets {
  private readonly done = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

  /**
   * `data` (the file at `path`, of type `ext`) compressed with `encoding`, or undefined when it is not worth
   * it (an image, a tiny file) or the compression failed (the caller sends the file as it is).
   */
  async get(path: string, ext: string, data: Uint8Array, encoding: Encoding): Promise<Uint8Array<ArrayBuffer> | undefined> {
    if (!COMPRESSIBLE.has(ext) || data.length < MIN_BYTES) return undefined;
    const key = `${encoding}\n${path}`;
    let compressed = this.done.get(key);
    if (!compressed) {
      compressed = (
        encoding === 'br'
          ? brotli(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } })
          : gzipAsync(data, { level: 6 })
      ).then(view);
      this.done.set(key, compressed);
      // A failed compression is not kept: the next request tries again.
      compressed.catch(() => this.done.delete(key));
    }
    const out = await compressed.catch(() => undefined);
    return out !== undefined && out.length < data.length ? out : undefined;
  }
}
