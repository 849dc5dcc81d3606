// The sandbox EPJ in a process of its own, for benchmarks where the EPJ must not share the app server's event
// loop (a real EPJ is another system): `node --import tsx bench/child/epjSandbox.ts <options.json>`.
// Prints one JSON line with the origins once it listens; stops when its stdin closes or on SIGTERM.
import { readFileSync } from 'node:fs';
import { startSandbox, type SandboxOptions } from '../../sandbox/app';

const options = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as SandboxOptions;
const sandbox = await startSandbox(options);
process.stdout.write(`${JSON.stringify({ origin: sandbox.origin, fhirBaseUrl: sandbox.fhirBaseUrl, helseidFhirBaseUrl: sandbox.helseidFhirBaseUrl, launchPageUrl: sandbox.launchPageUrl })}\n`);
const stop = () => void sandbox.close().finally(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
