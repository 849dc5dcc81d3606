// npx node --import tsx sandbox/seed/cli.ts --patients 3000 --asOf 2026-11-22 [--seed 1] [--out /tmp/x.ndjson]
// Writes the practice as NDJSON (one resource a line) and prints the summary as JSON on stdout.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { practiceResources } from './index';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      patients: { type: 'string' },
      seed: { type: 'string' },
      asOf: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (!values.asOf) throw new Error('Usage: cli.ts --asOf YYYY-MM-DD [--patients N] [--seed S] [--out file.ndjson]');
  const started = performance.now();
  const out = values.out ? createWriteStream(values.out, { encoding: 'utf8' }) : undefined;
  const it = practiceResources({
    asOf: values.asOf,
    ...(values.patients ? { patients: Number(values.patients) } : {}),
    ...(values.seed ? { seed: Number(values.seed) } : {}),
  });
  for (;;) {
    const next = it.next();
    if (next.done) {
      if (out) {
        out.end();
        await once(out, 'finish');
      }
      const ms = Math.round(performance.now() - started);
      process.stdout.write(`${JSON.stringify({ ...next.value, elapsedMs: ms, out: values.out ?? null }, null, 2)}\n`);
      return;
    }
    if (out && !out.write(`${JSON.stringify(next.value)}\n`)) await once(out, 'drain');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
