// The app server's $export reader (server/epj/bulkExport.ts) streams each NDJSON file: resources are yielded
// as the body's chunks arrive, whatever the chunk boundaries (inside a line, inside a multi-byte character),
// and a last line without a newline still counts (issue 19 point 5: the file is never held whole).
import { describe, expect, test } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import { bulkExport, BulkExportError } from '../../../server/epj/bulkExport';

const BASE = 'https://epj.example/fhir';

/** A body delivered in the given byte chunks; `pulled` counts how many chunks the reader has taken. */
function chunked(chunks: Uint8Array[]): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[i];
      if (next === undefined) controller.close();
      else {
        i += 1;
        controller.enqueue(next);
      }
    },
  }, { highWaterMark: 0 });
  return { body, pulled: () => i };
}

function fakeEpj(file: ReadableStream<Uint8Array>) {
  return async (url: URL): Promise<Response> => {
    if (url.pathname.endsWith('/$export')) return new Response(null, { status: 202, headers: { 'content-location': `${BASE}/$export-status/job-1` } });
    if (url.pathname.endsWith('/$export-status/job-1')) {
      return Response.json({ transactionTime: '2026-01-05T08:00:00Z', output: [{ type: 'Patient', url: `${BASE}/$export-file/job-1/Patient-1.ndjson`, count: 3 }], error: [] });
    }
    return new Response(file, { status: 200, headers: { 'content-type': 'application/fhir+ndjson' } });
  };
}

describe('bulkExport streams the NDJSON files', () => {
  test('lines split across chunks (also inside "ø") and a last line without a newline give the three patients, the first before the rest has arrived', async () => {
    const text = '{"resourceType":"Patient","id":"p1","name":[{"text":"Kari Nordmann"}]}\r\n{"resourceType":"Patient","id":"p2","name":[{"text":"Per Sørli"}]}\n\n{"resourceType":"Patient","id":"p3"}';
    const bytes = new TextEncoder().encode(text);
    const oslash = bytes.indexOf(0xc3); // the first byte of "ø" (0xc3 0xb8)
    const cuts = [10, 75, oslash + 1, bytes.length];
    const parts: Uint8Array[] = [];
    let from = 0;
    for (const cut of cuts) {
      parts.push(bytes.slice(from, cut));
      from = cut;
    }
    const { body, pulled } = chunked(parts);
    const it = bulkExport(fakeEpj(body), BASE, { types: ['Patient'], wait: async () => undefined });
    const first = await it.next();
    expect((first.value as Resource).id).toBe('p1');
    // p1 ends in the second chunk: the reader has not needed the last two chunks yet.
    expect(pulled()).toBeLessThanOrEqual(3);
    const rest: Resource[] = [];
    let step = await it.next();
    while (!step.done) {
      rest.push(step.value);
      step = await it.next();
    }
    expect(rest.map((r) => r.id)).toEqual(['p2', 'p3']);
    expect((rest[0] as { name?: { text?: string }[] }).name?.[0]?.text).toBe('Per Sørli');
    expect(step.value).toEqual({ transactionTime: '2026-01-05T08:00:00Z' });
  });

  test('an unreadable line names its line number', async () => {
    const { body } = chunked([new TextEncoder().encode('{"resourceType":"Patient","id":"p1"}\n{"resourceType":\n')]);
    const it = bulkExport(fakeEpj(body), BASE, { types: ['Patient'], wait: async () => undefined });
    await it.next();
    await expect(it.next()).rejects.toThrow(BulkExportError);
    const again = bulkExport(fakeEpj(chunked([new TextEncoder().encode('{"resourceType":"Patient","id":"p1"}\n{"resourceType":\n')]).body), BASE, { types: ['Patient'], wait: async () => undefined });
    await again.next();
    await expect(again.next()).rejects.toThrow('Eksportfilen for Patient har ugyldig JSON på linje 2');
  });

  test('the files are read in the order of the requested types, whatever the manifest order (Patient first for the scan)', async () => {
    const files: Record<string, string> = {
      'Condition-1.ndjson': '{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"}}\n',
      'Encounter-1.ndjson': '{"resourceType":"Encounter","id":"e1","subject":{"reference":"Patient/p1"}}\n',
      'Patient-1.ndjson': '{"resourceType":"Patient","id":"p1"}\n',
      'Patient-2.ndjson': '{"resourceType":"Patient","id":"p2"}\n',
    };
    const get = async (url: URL): Promise<Response> => {
      if (url.pathname.endsWith('/$export')) return new Response(null, { status: 202, headers: { 'content-location': `${BASE}/$export-status/job-2` } });
      if (url.pathname.endsWith('/$export-status/job-2')) {
        // Alphabetical, as the sandbox writes them: Patient after Condition and Encounter.
        const output = ['Condition-1', 'Encounter-1', 'Patient-1', 'Patient-2'].map((name) => ({ type: name.split('-')[0], url: `${BASE}/$export-file/job-2/${name}.ndjson` }));
        return Response.json({ transactionTime: '2026-01-05T08:00:00Z', output, error: [] });
      }
      return new Response(files[url.pathname.split('/').pop() ?? ''] ?? '', { status: 200 });
    };
    const order: string[] = [];
    for await (const r of bulkExport(get, BASE, { types: ['Patient', 'Encounter', 'Condition'], wait: async () => undefined })) order.push(`${r.resourceType}/${r.id ?? ''}`);
    expect(order).toEqual(['Patient/p1', 'Patient/p2', 'Encounter/e1', 'Condition/c1']);
  });
});
