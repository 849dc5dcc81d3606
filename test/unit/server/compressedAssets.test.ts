// server/http/compressedAssets.ts: which encoding an Accept-Encoding header gets (table written by hand from
// RFC 9110 §12.5.3: q=0 refuses, * stands for the rest), and that a compressed asset decompresses, with
// node:zlib's own decompressors as the oracle, to the bytes given.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { chooseEncoding, CompressedAssets } from '../../../server/http/compressedAssets';

describe('chooseEncoding', () => {
  test.each([
    ['gzip, deflate, br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['BR', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', undefined],
    ['gzip;q=0.5', 'gzip'],
    ['*', 'br'],
    ['*, br;q=0', 'gzip'],
    ['identity', undefined],
    ['deflate', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%s → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });
});

describe('CompressedAssets', () => {
  const js = Buffer.from('export function panel(patient) { return patient.name; }\n'.repeat(200));

  test('Brotli and gzip decompress to the file, and are smaller', async () => {
    const assets = new CompressedAssets();
    const br = await assets.get('/dist/assets/a.js', '.js', js, 'br');
    const gz = await assets.get('/dist/assets/a.js', '.js', js, 'gzip');
    expect(br && brotliDecompressSync(br).equals(js)).toBe(true);
    expect(gz && gunzipSync(gz).equals(js)).toBe(true);
    expect(br!.length).toBeLessThan(js.length / 10);
  });

  test('compressed once per file and encoding: concurrent and later requests get the same bytes', async () => {
    const assets = new CompressedAssets();
    const [a, b] = await Promise.all([assets.get('/x.js', '.js', js, 'br'), assets.get('/x.js', '.js', js, 'br')]);
    const later = await assets.get('/x.js', '.js', js, 'br');
    expect(a).toBe(b);
    expect(later).toBe(a);
  });

  test('images, fonts and files under 1 KB are sent as they are', async () => {
    const assets = new CompressedAssets();
    expect(await assets.get('/logo.png', '.png', js, 'br')).toBeUndefined();
    expect(await assets.get('/f.woff2', '.woff2', js, 'gzip')).toBeUndefined();
    expect(await assets.get('/tiny.js', '.js', Buffer.from('export const a = 1;\n'), 'br')).toBeUndefined();
  });
});
