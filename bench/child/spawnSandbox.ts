// Starts bench/child/epjSandbox.ts and answers with what the app server and the launches need of a sandbox.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox, SandboxOptions } from '../../sandbox/app';

export type ProcessSandbox = Pick<Sandbox, 'origin' | 'fhirBaseUrl' | 'helseidFhirBaseUrl' | 'launchPageUrl' | 'close'>;

export function spawnSandbox(options: SandboxOptions & { dataDir: string }): Promise<ProcessSandbox> {
  const file = join(options.dataDir, 'sandbox-options.json');
  writeFileSync(file, JSON.stringify(options));
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/child/epjSandbox.ts', file], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`sandkassen avsluttet med ${code}`)));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      const origins = JSON.parse(line) as Omit<ProcessSandbox, 'close'>;
      resolve({
        ...origins,
        close: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.on('exit', () => done());
            child.stdin.end();
          }),
      });
    });
  });
}
