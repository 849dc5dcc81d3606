// The per patient-day co-payment ledger loop (SPEC §6): read the day, decide, write ONE transaction that
// is version-checked on the day's Account, and on a conflict read again. It relies only on what a FHIR
// server guarantees (R4 http.html#concurrency If-Match, #ccreate If-None-Exist, #transaction atomicity):
//
// 1. ensure the day's Account (conditional create on its identifier);
// 2. read the Account FIRST, then the day's charges: every app write to a day's charges bumps that
//    Account in the same transaction, so a write committed after our Account read makes our If-Match fail
//    (412), and none can slip in unseen. (Read the other way round, a write between the two reads would
//    be missed and our If-Match would still pass.);
// 3. decide (allocateCopayments) and write: PUT Account (If-Match) + the caller's entries;
// 4. 409/412 -> read again (bounded, jittered); network error or 5xx -> send the same transaction again:
//    its creates are conditional on client-generated identifiers, so a first attempt that did commit makes
//    the resend fail on the Account's If-Match, and the re-read then sees the charges already saved.
//
// Limit (README): GP charges the EPJ writes without bumping our Account are seen when read, not locked;
// when the EPJ does not expose them at all the nurse's answer "already paid today?" stands in for them.
import type { Account, Bundle, BundleEntry, ChargeItem } from '@medplum/fhirtypes';
import { osloDate } from '../domain/calendar';
import type { CopayOptions } from '../domain/copay';
import { catalogueInForce, defaultCatalogues, tariffInForce, type Catalogue } from '../domain/tariffs';
import { buildCopayDayAccount, bumpedLedger, copayDayValue, paidElsewhereAnswer } from './builders/account';
import { ifMatchVersion, userReference, type UserReference } from './builders/common';
import { readTeamCharge, type ChargeIssue, type TeamCharge } from './charges';
import { COPAY_SYSTEMS } from './chargesSystems';
import type { FhirClient } from './client';
import { FhirError, isFhirError } from './errors';

export interface LedgerOptions {
  /** Transaction attempts in all (conflicts and transient failures together). Default 30. */
  maxAttempts?: number;
  /** Backoff base and ceiling (full jitter), ms. Defaults 20 and 800. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Time budget for retrying transient failures (network, 5xx), ms; default 6000. With the server down,
   * the user hears so within 10 s instead of after 30 retries (issue 17 item 9). Conflicts are progress
   * (another writer won) and stay bounded by maxAttempts only.
   */
  transientBudgetMs?: number;
  /** Clock for enteredDate and recorded times. */
  now?: () => Date;
  copay?: CopayOptions;
  catalogues?: readonly Catalogue[];
  /**
   * Practice setting: the EPJ exposes its GP charges as ChargeItems (default true). When false, or when a
   * ChargeItem search by patient is refused, the nurse's answer is needed (SPEC §6).
   */
  gpChargesExposed?: boolean;
}

export interface LedgerStats {
  /** Transactions sent. */
  attempts: number;
  /** 409/412 answers (another writer, or our own earlier attempt that did commit). */
  conflicts: number;
  /** Resends after a network error or 5xx. */
  transientRetries: number;
  /** Day reads (Account + charges). */
  reads: number;
  ms: number;
}

export interface DayState {
  patientId: string;
  day: string;
  account: Account;
  accountId: string;
  versionId: string;
  charges: TeamCharge[];
  /** The raw ChargeItems of `charges`, by charge id, for version-checked rewrites. */
  items: Map<string, ChargeItem>;
  issues: ChargeIssue[];
  /** The EPJ's GP charges are visible to this read (else the nurse's answer stands in). */
  gpChargesVisible: boolean;
  /** The recorded answer to "Har pasienten allerede betalt egenandel i dag?". */
  paidElsewhere?: boolean;
  user: UserReference;
  now: string;
}

export type LedgerStep<T> =
  | { done: T }
  | {
      /** Entries besides the Account PUT, which the loop adds first. */
      entries: BundleEntry[];
      /** Record the nurse's answer on the Account. */
      paidElsewhere?: boolean;
      result: (response: Bundle) => T;
    };

const DEFAULTS = { maxAttempts: 30, baseDelayMs: 20, maxDelayMs: 800, transientBudgetMs: 6_000 };

/** 'YYYY-MM-DD' +/- days, by UTC calendar arithmetic (dates only, no zone involved). */
export function shiftDay(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function sessionUser(client: FhirClient): UserReference {
  const user = userReference(client.session.fhirUser);
  if (!user) {
    throw new FhirError({ kind: 'forbidden', userMessage: 'Innloggingen sier ikke hvem du er (fhirUser), så gebyret kan ikke lagres.' });
  }
  return user;
}

export function tariffEgenandelLookup(catalogues: readonly Catalogue[]) {
  return (code: string, at: string): number | undefined => {
    const date = osloDate(at);
    const catalogue = catalogueInForce(catalogues, date);
    return catalogue ? tariffInForce(catalogue, code, date)?.egenandel : undefined;
  };
}

async function ensureDayAccount(client: FhirClient, patientId: string, day: string, user: UserReference): Promise<string> {
  const { resource } = await client.conditionalCreate(buildCopayDayAccount(patientId, day, user), {
    identifier: `${COPAY_SYSTEMS.copayDay}|${copayDayValue(patientId, day)}`,
  });
  if (!resource.id) throw new FhirError({ kind: 'invalid', userMessage: 'Journalsystemet ga ingen id for dagens egenandelskonto.' });
  return resource.id;
}

const REFUSED_SEARCH = new Set(['forbidden', 'not-found', 'invalid']);

async function searchDayCharges(client: FhirClient, patientId: string, day: string, accountId: string) {
  // A window of a day either side, then the exact Oslo day client-side: servers differ in which zone
  // they read a date-only search value in.
  const byPatient = { patient: `Patient/${patientId}`, occurrence: [`ge${shiftDay(day, -1)}`, `le${shiftDay(day, 1)}`], _count: 200 };
  try {
    return { items: await client.searchAll('ChargeItem', byPatient), visible: true };
  } catch (error) {
    if (!isFhirError(error) || !REFUSED_SEARCH.has(error.kind)) throw error;
    // The EPJ refuses a patient-wide charge search: at least the app's own charges on this ledger.
    return { items: await client.searchAll('ChargeItem', { account: `Account/${accountId}`, _count: 200 }), visible: false };
  }
}

async function readDay(client: FhirClient, patientId: string, day: string, accountId: string, opts: LedgerOptions, user: UserReference): Promise<DayState> {
  const account = await client.read('Account', accountId);
  const versionId = account.meta?.versionId;
  if (!versionId) throw new FhirError({ kind: 'invalid', userMessage: 'Journalsystemet oppgir ikke versjon for egenandelskontoen; samtidige lagringer kan ikke sikres.' });
  const { items: found, visible } = await searchDayCharges(client, patientId, day, accountId);
  const lookup = tariffEgenandelLookup(opts.catalogues ?? defaultCatalogues);
  const charges: TeamCharge[] = [];
  const items = new Map<string, ChargeItem>();
  const issues: ChargeIssue[] = [];
  for (const item of found) {
    const read = readTeamCharge(item, { tariffEgenandel: lookup });
    issues.push(...read.issues);
    const charge = read.charge;
    if (!charge || osloDate(charge.at) !== day) continue;
    if (charge.patientId !== undefined && charge.patientId !== patientId) continue;
    if (items.has(charge.id)) {
      issues.push({ resourceId: item.id, chargeId: charge.id, severity: 'error', message: 'Samme gebyr-id finnes to ganger.' });
      continue;
    }
    charges.push(charge);
    items.set(charge.id, item);
  }
  return {
    patientId,
    day,
    account,
    accountId,
    versionId,
    charges,
    items,
    issues,
    gpChargesVisible: visible && (opts.gpChargesExposed ?? true),
    paidElsewhere: paidElsewhereAnswer(account),
    user,
    now: (opts.now?.() ?? new Date()).toISOString(),
  };
}

function backoff(opts: LedgerOptions, n: number): number {
  const base = opts.baseDelayMs ?? DEFAULTS.baseDelayMs;
  const max = opts.maxDelayMs ?? DEFAULTS.maxDelayMs;
  const ceiling = Math.min(max, base * 2 ** Math.min(n, 16));
  return Math.round((opts.random ?? Math.random)() * ceiling);
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function exhausted(attempts: number): FhirError {
  return new FhirError({
    kind: 'conflict',
    userMessage: `Kunne ikke lagre etter ${attempts} forsøk fordi andre lagret samtidig eller forbindelsen brøt. Ingenting er lagret dobbelt.`,
  });
}

/** Runs the read-decide-write loop for one patient-day; see the file comment. */
export async function runDayLedger<T>(
  client: FhirClient,
  key: { patientId: string; day: string },
  plan: (state: DayState) => LedgerStep<T>,
  opts: LedgerOptions = {},
): Promise<{ value: T; stats: LedgerStats }> {
  const started = performance.now();
  const stats: LedgerStats = { attempts: 0, conflicts: 0, transientRetries: 0, reads: 0, ms: 0 };
  const finish = (value: T) => ({ value, stats: { ...stats, ms: Math.round(performance.now() - started) } });
  const maxAttempts = opts.maxAttempts ?? DEFAULTS.maxAttempts;
  const sleep = opts.sleep ?? wait;
  const clock = () => (opts.now?.() ?? new Date()).getTime();
  const giveUpAt = clock() + (opts.transientBudgetMs ?? DEFAULTS.transientBudgetMs);
  /** Sleeps before a transient retry, or says no when the retry would end after the time budget. */
  async function retryTransient(): Promise<boolean> {
    if (stats.transientRetries >= maxAttempts) return false;
    const delay = backoff(opts, stats.transientRetries + 1);
    if (clock() + delay >= giveUpAt) return false;
    stats.transientRetries++;
    await sleep(delay);
    return true;
  }
  const user = sessionUser(client);
  // Reads and the conditional create are safe to repeat; the client already retries them a few times,
  // and this adds the ledger's own budget on top so a flaky line does not end a registration.
  async function transient<R>(request: () => Promise<R>): Promise<R> {
    for (;;) {
      try {
        return await request();
      } catch (error) {
        if (!isFhirError(error) || !error.retryable || !(await retryTransient())) throw error;
      }
    }
  }
  const accountId = await transient(() => ensureDayAccount(client, key.patientId, key.day, user));

  for (;;) {
    const state = await transient(() => readDay(client, key.patientId, key.day, accountId, opts, user));
    stats.reads++;
    const step = plan(state);
    if ('done' in step) return finish(step.done);
    const accountEntry: BundleEntry = {
      resource: bumpedLedger(state.account, user, step.paidElsewhere),
      request: { method: 'PUT', url: `Account/${accountId}`, ifMatch: ifMatchVersion(state.versionId) },
    };
    const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [accountEntry, ...step.entries] };
    for (;;) {
      if (stats.attempts >= maxAttempts) throw exhausted(stats.attempts);
      stats.attempts++;
      try {
        return finish(step.result(await client.transaction(bundle)));
      } catch (error) {
        if (!isFhirError(error)) throw error;
        if (error.kind === 'conflict') {
          stats.conflicts++;
          break;
        }
        if (!error.retryable || !(await retryTransient())) throw error;
      }
    }
    await sleep(backoff(opts, stats.conflicts));
  }
}
