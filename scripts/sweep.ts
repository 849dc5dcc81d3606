// `npm run sweep`: the discharge sweep once (SPEC §4). The same job the app server runs every 15 minutes
// on working days (server/features/follow-up/jobs.ts, 'follow-up.sweep'), with the app server's own key
// store, EPJ registry and database, configured from the environment exactly like server/main.ts (README
// "Konfigurasjon": PHT_SERVER_DATA_DIR, PHT_EPJ_REGISTRY, PHT_SANDBOX_ORIGIN, DATABASE_URL). It creates
// the follow-up tasks of newly seen discharges of target-group patients in the database and prints in
// Norwegian what is due today and what is overdue. Exit code 0 = done, 1 = failed (message on stderr),
// 2 = done, but some tasks could not be created (listed).
//
// Options:
//   --practice <Organization/id>  only this practice (default: every practice of every registry entry)
//   --iss <FHIR base>             only this registry entry
//   --now <date-time>             the sweep's clock (default: now), e.g. 2026-11-23T08:00:00+01:00
// The output names no patients and prints no national identity numbers: only task ids and deadlines.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { databaseConfigFromEnv, openDatabase } from '../server/db/database';
import { runSweepJob, type SweepReport } from '../server/features/follow-up/jobs';
import type { FollowUp } from '../server/features/follow-up/store';
import { settingsFromEnv } from '../server/main';
import { BackendServices } from '../server/smart/backendServices';
import { EpjClients } from '../server/smart/epjClient';
import { loadKeyStore } from '../server/smart/keys';
import { EpjRegistry, loadRegistry } from '../server/smart/registry';

export class SweepConfigError extends Error {
  override readonly name = 'SweepConfigError';
}

export interface SweepArgs {
  practice?: string;
  iss?: string;
  /** Epoch ms. */
  now?: number;
}

export function parseSweepArgs(argv: readonly string[]): SweepArgs {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { practice: { type: 'string' }, iss: { type: 'string' }, now: { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new SweepConfigError(`Ugyldig kommandolinje: ${error instanceof Error ? error.message : String(error)}`);
  }
  const out: SweepArgs = {};
  if (values.practice) out.practice = values.practice;
  if (values.iss) out.iss = values.iss.replace(/\/+$/, '');
  if (values.now !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(values.now) || Number.isNaN(Date.parse(values.now))) {
      throw new SweepConfigError(`Ugyldig tidspunkt for --now: «${values.now}» (bruk ÅÅÅÅ-MM-DDTtt:mm med tidssone, f.eks. 2026-11-23T08:00:00+01:00).`);
    }
    out.now = Date.parse(values.now);
  }
  return out;
}

const dotted = (date: string) => `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;

function describeTask(t: FollowUp): string {
  return `  - oppgave ${t.id}, frist ${dotted(t.deadline)}, ${t.owner ? `ansvarlig ${t.owner}` : 'ikke fordelt'}${t.attempts.length > 0 ? `, ${t.attempts.length} forsøk` : ''}`;
}

export function formatReport(report: SweepReport, label: string): string {
  const lines = [
    `Oppfølging etter utskrivning: sveip ${dotted(report.today)} (${label})`,
    `Utskrivninger i perioden: ${report.episodes}. Nye oppgaver: ${report.created}` +
      (report.alreadyThere > 0 ? ` (${report.alreadyThere} fantes allerede)` : '') +
      `. Venter på vurdering i innboksen: ${report.awaitingTriage}. Med feil: ${report.withErrors}.`,
    `Frist i dag (${report.dueToday.length}):`,
    ...(report.dueToday.length > 0 ? report.dueToday.map(describeTask) : ['  (ingen)']),
    `Over fristen (${report.overdue.length}):`,
    ...(report.overdue.length > 0 ? report.overdue.map(describeTask) : ['  (ingen)']),
  ];
  if (report.failures.length > 0) lines.push(`Kunne ikke opprette ${report.failures.length} oppgave(r):`, ...report.failures.map((f) => `  - ${f.message}`));
  return lines.join('\n');
}

export interface SweepIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const STDIO: SweepIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** Runs the sweep once with the app server's configuration; resolves to the exit code. */
export async function main(argv: readonly string[], io: SweepIo = STDIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let close: (() => Promise<void>) | undefined;
  try {
    const args = parseSweepArgs(argv);
    const settings = settingsFromEnv(env);
    const all = loadRegistry(settings.registryPath, { PHT_SANDBOX_ORIGIN: settings.sandboxOrigin });
    const entries = all.entries.filter((e) => !args.iss || e.iss === args.iss);
    if (entries.length === 0) throw new SweepConfigError(args.iss ? `EPJ-en ${args.iss} står ikke i registeret ${settings.registryPath}.` : `Registeret ${settings.registryPath} har ingen EPJ-er.`);
    const keys = await loadKeyStore(join(resolve(settings.dataDir), 'keys'), ['ES256', 'RS256', 'PS256']);
    const database = await openDatabase(settings.database ?? databaseConfigFromEnv(env));
    close = () => database.close();
    // The token requests use the real clock; the sweep's dates use --now.
    const backend = new BackendServices(new EpjClients(keys));
    const now = args.now ?? Date.now();
    let failures = 0;
    for (const epj of entries) {
      for (const practiceId of epj.organisations.filter((o) => !args.practice || o === args.practice)) {
        const [report] = await runSweepJob({ db: database.db, registry: new EpjRegistry([epj]), backend, now: () => now, log: () => undefined, practice: { practiceId, epj } });
        if (!report) continue;
        failures += report.failures.length;
        io.out(formatReport(report, `${practiceId} i ${epj.name}`));
      }
    }
    return failures > 0 ? 2 : 0;
  } catch (error) {
    if (error instanceof SweepConfigError) io.err(`Sveipen feilet: ${error.message}`);
    else io.err(`Sveipen feilet: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await close?.();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`Sveipen feilet uventet: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
