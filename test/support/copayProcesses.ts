// Starts N app-server processes (test/support/copayServerProcess.ts) on one DATABASE_URL, for the
// co-payment concurrency test and the bench; each has its own connection pool, as two deployments would.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface CopayProcess {
  origin: string;
  child: ChildProcess;
}

export async function startCopayProcesses(n: number, databaseUrl: string, now: number): Promise<{ processes: CopayProcess[]; stop(): Promise<void> }> {
  const processes = await Promise.all(
    Array.from({ length: n }, async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/copayServerProcess.ts'], {
        env: { ...process.env, DATABASE_URL: databaseUrl, PHT_TEST_NOW: String(now) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      const port = await new Promise<number>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`app-serverprosessen stoppet (${code})`)));
        lines.on('line', (line) => {
          const m = /^PORT (\d+)$/.exec(line);
          if (m) resolve(Number(m[1]));
        });
      });
      return { origin: `http://127.0.0.1:${port}`, child };
    }),
  );
  return {
    processes,
    async stop() {
      await Promise.all(
        processes.map(async (p) => {
          if (p.child.exitCode !== null) return;
          p.child.kill('SIGTERM');
          await once(p.child, 'exit');
        }),
      );
    },
  };
}

/** POSTs until the server gives a final answer: a dropped connection or a 503 is sent again with the same body. */
export async function postUntilAnswered(url: string, actor: string, body: unknown, maxAttempts = 60): Promise<{ status: number; attempts: number; json: unknown }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-actor': actor }, body: JSON.stringify(body) });
      if (res.status !== 503 || attempt >= maxAttempts) return { status: res.status, attempts: attempt, json: await res.json() };
      await res.body?.cancel();
    } catch (error) {
      if (attempt >= maxAttempts) throw error;
    }
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
  }
}
