// The headless discharge sweep (SPEC §4): runs without a user through SMART Backend Services, creates
// the follow-up tasks of newly seen discharges of target-group patients (the same ensureFollowUpTasks the
// inbox and worklist run, so whichever comes first creates the task, once), and prints in Norwegian what
// is due today and what is overdue. Exit code 0 = done, 1 = failed (message on stderr), 2 = done, but
// some tasks could not be created (listed).
//
// Cron (weekdays, hourly 07-16 Oslo time; the first run before the practice opens):
//   CRON_TZ=Europe/Oslo
//   0 7-16 * * 1-5  cd /srv/primaerhelseteam && npm run --silent sweep -- --fhir https://epj.example.no/fhir --client-id primaerhelseteam-sweep --key /etc/primaerhelseteam/sweep-key.jwk.json >> /var/log/primaerhelseteam-sweep.log 2>&1
//
// Options (flag, else environment variable, else default):
//   --fhir <base>        PHT_FHIR_BASE     http://localhost:8103/fhir (the sandbox)
//   --client-id <id>     PHT_CLIENT_ID     primaerhelseteam-sweep (the sandbox's backend client)
//   --key <jwk file>     PHT_KEY_FILE      sandbox mode (loopback FHIR base): the sandbox's backend client key
//                                          under <PHT_DATA_DIR or .sandbox-data>/auth/
//   --practice <org id>  PHT_PRACTICE_ORG  org-practice (the sandbox practice)
//   --owner <id>         PHT_DEFAULT_OWNER (none: new tasks are unassigned until the secretary assigns them)
//   --today YYYY-MM-DD   PHT_TODAY         today in Oslo
//   --now <date-time>    PHT_NOW           the time stamped on the tasks it creates (default: the clock);
//                                          with --today for a back-dated run, so a task is never authored after it is handled
// The output names patients (it is a work list); it prints no national identity numbers.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { osloDate } from '../src/domain/calendar';
import { backendServicesSession, BackendServicesError, SWEEP_SCOPES, type PrivateJwk } from '../src/fhir/backendServices';
import { createFhirClient, type FhirClient } from '../src/fhir/client';
import { describeError, isFhirError } from '../src/fhir/errors';
import { loadWorklist, type WorklistRow } from '../src/fhir/followUps';
import { ensureFollowUpTasks, loadInbox, type EnsureResult, type InboxRow } from '../src/fhir/inbox';

export const DEFAULT_FHIR_BASE = 'http://localhost:8103/fhir';
/** The sandbox's backend client (sandbox/auth/server.ts BACKEND_CLIENT_ID). */
export const DEFAULT_CLIENT_ID = 'primaerhelseteam-sweep';
export const DEFAULT_PRACTICE_ORG = 'org-practice';
const KEY_FILE_NAME = 'backend-client-key.jwk.json';

export interface SweepOptions {
  fhirBaseUrl: string;
  clientId: string;
  privateJwk: PrivateJwk;
  practiceOrgId: string;
  /** Oslo date. */
  today: string;
  /** ISO date-time stamped on created tasks; default now. */
  now?: string;
  defaultOwnerId?: string;
  fetch?: typeof fetch;
}

export interface SweepReport {
  today: string;
  episodes: number;
  created: number;
  alreadyThere: number;
  /** Not in a target group (or history): waiting for the secretary's triage. */
  awaitingTriage: number;
  /** Episodes with errors (patient not found, discharge in the future, no date). */
  withErrors: number;
  failures: EnsureResult['failures'];
  dueToday: WorklistRow[];
  overdue: WorklistRow[];
  grantedScopes: readonly string[];
}

export class SweepConfigError extends Error {
  override readonly name = 'SweepConfigError';
}

/** Gives a client whose token is valid for at least another minute (backend tokens live ~5 minutes). */
function clientSource(options: SweepOptions): () => Promise<FhirClient> {
  let current: FhirClient | undefined;
  return async () => {
    if (current && current.session.expiresAt - Date.now() > 60_000) return current;
    const session = await backendServicesSession({
      fhirBaseUrl: options.fhirBaseUrl,
      clientId: options.clientId,
      privateJwk: options.privateJwk,
      scope: SWEEP_SCOPES,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    current = createFhirClient(session);
    return current;
  };
}

export async function runSweep(options: SweepOptions): Promise<SweepReport> {
  const today = osloDate(options.today);
  const now = options.now ?? new Date().toISOString();
  const client = clientSource(options);

  const first = await client();
  const inbox = await loadInbox(first, { practiceOrgId: options.practiceOrgId, today });
  const ensured = await ensureFollowUpTasks(await client(), inbox.rows, {
    now,
    requester: { organizationId: options.practiceOrgId },
    ...(options.defaultOwnerId ? { defaultOwnerId: options.defaultOwnerId } : {}),
  });
  const worklist = await loadWorklist(await client(), { today });
  const rows: InboxRow[] = ensured.rows;
  return {
    today,
    episodes: rows.length,
    created: ensured.created,
    alreadyThere: ensured.alreadyThere,
    awaitingTriage: rows.filter((r) => r.needsTriage && r.errors.length === 0).length,
    withErrors: rows.filter((r) => r.errors.length > 0).length,
    failures: ensured.failures,
    dueToday: worklist.rows.filter((r) => r.urgency === 'due-today'),
    overdue: worklist.rows.filter((r) => r.urgency === 'overdue'),
    grantedScopes: first.session.grantedScopes,
  };
}

// ---------------------------------------------------------------------------------------------
// Report text (Norwegian)

function norwegianDate(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}

function describeRow(row: WorklistRow): string {
  const who = row.patient?.name ?? `pasient ${row.followUp.patientId}`;
  const parts = [who];
  if (row.dischargeDate) parts.push(`utskrevet ${norwegianDate(row.dischargeDate)}${row.institution?.name ? ` fra ${row.institution.name}` : ''}`);
  else parts.push('utskrivningsdato ikke bekreftet');
  parts.push(`frist ${norwegianDate(row.followUp.deadline)}`);
  if (row.urgency === 'overdue') parts.push(`${-row.workingDaysLeft} arbeidsdag${row.workingDaysLeft === -1 ? '' : 'er'} over fristen`);
  parts.push(row.owner ? `ansvarlig ${row.owner.name}` : 'ikke tildelt');
  if (row.patient?.phone) parts.push(`tlf. ${row.patient.phone}`);
  if (row.attemptCount > 0) parts.push(`${row.attemptCount} forsøk`);
  return `  - ${parts.join(', ')} (oppgave ${row.taskId})`;
}

export function formatReport(report: SweepReport): string {
  const lines = [
    `Oppfølging etter utskrivning: sveip ${norwegianDate(report.today)}`,
    `Utskrivninger siste 60 dager: ${report.episodes}. Nye oppgaver: ${report.created}` +
      (report.alreadyThere > 0 ? ` (${report.alreadyThere} fantes allerede)` : '') +
      `. Venter på vurdering i innboksen: ${report.awaitingTriage}. Med feil: ${report.withErrors}.`,
    '',
    `Frist i dag (${report.dueToday.length}):`,
    ...(report.dueToday.length > 0 ? report.dueToday.map(describeRow) : ['  (ingen)']),
    '',
    `Over fristen (${report.overdue.length}):`,
    ...(report.overdue.length > 0 ? report.overdue.map(describeRow) : ['  (ingen)']),
  ];
  if (report.failures.length > 0) {
    lines.push('', `Kunne ikke opprette ${report.failures.length} oppgave(r):`, ...report.failures.map((f) => `  - ${f.key}: ${f.message}`));
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Command line

function isLoopback(base: string): boolean {
  try {
    const host = new URL(base).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
  } catch {
    return false;
  }
}

/** The sandbox persists its backend client key under <data dir>/auth/ (sandbox/app.ts, sandbox/auth/server.ts). */
export function sandboxKeyCandidates(dataDir: string): string[] {
  return [join(dataDir, 'auth', KEY_FILE_NAME)];
}

function readKey(file: string): PrivateJwk {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SweepConfigError(`Kan ikke lese nøkkelfilen ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || !('kty' in parsed) || typeof parsed.kty !== 'string') {
    throw new SweepConfigError(`Nøkkelfilen ${file} er ikke en JWK.`);
  }
  const jwk: PrivateJwk = { kty: parsed.kty };
  for (const name of ['kid', 'alg', 'crv', 'x', 'y', 'd', 'n', 'e', 'p', 'q', 'dp', 'dq', 'qi'] as const) {
    const value: unknown = Reflect.get(parsed, name);
    if (typeof value === 'string') jwk[name] = value;
  }
  return jwk;
}

export function parseSweepArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): SweepOptions {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        fhir: { type: 'string' },
        'client-id': { type: 'string' },
        key: { type: 'string' },
        practice: { type: 'string' },
        owner: { type: 'string' },
        today: { type: 'string' },
        now: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new SweepConfigError(`Ugyldig kommandolinje: ${error instanceof Error ? error.message : String(error)}`);
  }
  const fhirBaseUrl = (values.fhir ?? env.PHT_FHIR_BASE ?? DEFAULT_FHIR_BASE).replace(/\/+$/, '');
  let keyFile = values.key ?? env.PHT_KEY_FILE;
  if (!keyFile) {
    if (!isLoopback(fhirBaseUrl)) throw new SweepConfigError('Mangler --key <jwk-fil> (den private nøkkelen til backend-klienten).');
    const candidates = sandboxKeyCandidates(resolve(cwd, env.PHT_DATA_DIR ?? '.sandbox-data'));
    keyFile = candidates.find((c) => existsSync(c));
    if (!keyFile) throw new SweepConfigError(`Fant ikke sandkassens nøkkel (${candidates.join(' eller ')}). Start sandkassen (npm start) eller oppgi --key.`);
  }
  const todayText = values.today ?? env.PHT_TODAY;
  let today: string;
  try {
    today = osloDate(todayText ?? new Date().toISOString());
  } catch {
    throw new SweepConfigError(`Ugyldig dato for --today: «${todayText ?? ''}» (bruk ÅÅÅÅ-MM-DD).`);
  }
  const nowText = values.now ?? env.PHT_NOW;
  if (nowText !== undefined && (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(nowText) || Number.isNaN(Date.parse(nowText)))) {
    throw new SweepConfigError(`Ugyldig tidspunkt for --now: «${nowText}» (bruk ÅÅÅÅ-MM-DDTtt:mm med tidssone, f.eks. 2026-11-23T08:00:00+01:00).`);
  }
  const owner = values.owner ?? env.PHT_DEFAULT_OWNER;
  return {
    fhirBaseUrl,
    clientId: values['client-id'] ?? env.PHT_CLIENT_ID ?? DEFAULT_CLIENT_ID,
    privateJwk: readKey(resolve(cwd, keyFile)),
    practiceOrgId: values.practice ?? env.PHT_PRACTICE_ORG ?? DEFAULT_PRACTICE_ORG,
    today,
    ...(nowText !== undefined ? { now: nowText } : {}),
    ...(owner ? { defaultOwnerId: owner } : {}),
  };
}

export interface SweepIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const STDIO: SweepIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** Runs the sweep; resolves to the exit code. */
export async function main(argv: readonly string[], io: SweepIo = STDIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const options = parseSweepArgs(argv, env);
    const report = await runSweep(options);
    io.out(formatReport(report));
    return report.failures.length > 0 ? 2 : 0;
  } catch (error) {
    if (error instanceof SweepConfigError) {
      io.err(`Sveipen feilet: ${error.message}`);
    } else if (error instanceof BackendServicesError) {
      io.err(`Sveipen feilet: ${error.message}\n${error.userAction}`);
    } else if (isFhirError(error)) {
      const text = describeError(error);
      io.err(`Sveipen feilet: ${text.message} ${text.action} (HTTP ${error.status ?? '-'}, ${error.kind})`);
    } else {
      io.err(`Sveipen feilet uventet: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    return 1;
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
