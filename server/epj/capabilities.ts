// What the EPJ can do (issue 16 item 2), from its CapabilityStatement (`GET <iss>/metadata`), fetched once
// per EPJ and cached, with the registry entry's `capabilities` override on top (an EPJ whose statement
// says more, or less, than it does). Parsed into a typed profile: which types can be read, searched,
// created and updated, and whether it takes transactions, conditional create, If-Match and _include.
// `GET /api/capabilities` offers the browser what the app can and cannot read, with the Norwegian
// sentences the UI shows (CapabilityNotes) and the fact kinds the target-group rules cannot check.
import type { Context } from 'hono';
import * as v from 'valibot';
import type { CapabilityStatement } from '@medplum/fhirtypes';
import type { FactKind } from '../../src/domain/targetGroups';
import { offersBulkExport } from './bulkExport';

export interface TypeCapability {
  read: boolean;
  search: boolean;
  create: boolean;
  update: boolean;
  conditionalCreate: boolean;
  /** versioning = versioned-update: If-Match honoured on update. */
  ifMatch: boolean;
  /** searchInclude / searchRevInclude not empty. */
  include: boolean;
}

export interface EpjCapabilities {
  /** Where the profile came from; `unknown` = the statement could not be read (everything assumed). */
  source: 'statement' | 'override' | 'statement+override' | 'unknown';
  types: Record<string, TypeCapability>;
  transactions: boolean;
  batch: boolean;
  /** The statement offers FHIR Bulk Data `$export` (system or group level): the nightly scan uses it. */
  bulkExport?: boolean;
}

/** Whether the EPJ takes a new resource of this type (what the app queues beyond its journal notes: ChargeItem, Flag). */
export const creatable = (caps: EpjCapabilities, type: string): boolean => caps.types[type]?.create === true;

/** The registry entry's override (all optional): lists replace what the statement says; flags win. */
export const CapabilityOverrideSchema = v.strictObject({
  /** Types the EPJ lets the app read and search (replaces the statement's list). */
  read: v.optional(v.array(v.pipe(v.string(), v.regex(/^[A-Z][A-Za-z]+$/, 'må være en ressurstype')))),
  /** Types the EPJ accepts created (replaces the statement's list). */
  create: v.optional(v.array(v.pipe(v.string(), v.regex(/^[A-Z][A-Za-z]+$/, 'må være en ressurstype')))),
  transactions: v.optional(v.boolean('må være true eller false')),
  conditionalCreate: v.optional(v.boolean('må være true eller false')),
  ifMatch: v.optional(v.boolean('må være true eller false')),
  include: v.optional(v.boolean('må være true eller false')),
  /** true: do not fetch the statement, the override is the whole truth. */
  ignoreStatement: v.optional(v.boolean('må være true eller false')),
});
export type CapabilityOverride = v.InferOutput<typeof CapabilityOverrideSchema>;

export class CapabilityOverrideError extends Error {
  override readonly name = 'CapabilityOverrideError';
}

/** For the registry parser: a bad override stops the server with a message naming the field. */
export function parseCapabilityOverride(value: unknown, at: string, fail: (message: string) => Error = (m) => new CapabilityOverrideError(m)): CapabilityOverride {
  const result = v.safeParse(CapabilityOverrideSchema, value);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = issue.path?.map((p) => (typeof p.key === 'number' ? `[${p.key}]` : `.${String(p.key)}`)).join('') ?? '';
  throw fail(`${at}${path}: ${issue.message}`);
}

const NOTHING: TypeCapability = { read: false, search: false, create: false, update: false, conditionalCreate: false, ifMatch: false, include: false };

/** CapabilityStatement (untrusted JSON) -> the typed profile. */
export function parseCapabilityStatement(json: unknown): EpjCapabilities {
  const cs = (typeof json === 'object' && json !== null ? json : {}) as CapabilityStatement;
  if (cs.resourceType !== 'CapabilityStatement') throw new Error('Svaret er ikke et CapabilityStatement');
  const rest = (Array.isArray(cs.rest) ? cs.rest : []).find((r) => r?.mode === 'server');
  const types: Record<string, TypeCapability> = {};
  for (const r of Array.isArray(rest?.resource) ? rest.resource : []) {
    if (typeof r?.type !== 'string') continue;
    const codes = new Set((Array.isArray(r.interaction) ? r.interaction : []).map((i) => i?.code));
    types[r.type] = {
      read: codes.has('read'),
      search: codes.has('search-type'),
      create: codes.has('create'),
      update: codes.has('update'),
      conditionalCreate: r.conditionalCreate === true,
      ifMatch: r.versioning === 'versioned-update',
      include: (r.searchInclude?.length ?? 0) > 0 || (r.searchRevInclude?.length ?? 0) > 0,
    };
  }
  const system = new Set((Array.isArray(rest?.interaction) ? rest.interaction : []).map((i) => i?.code));
  return { source: 'statement', types, transactions: system.has('transaction'), batch: system.has('batch'), bulkExport: offersBulkExport(cs) };
}

export function applyOverride(base: EpjCapabilities, o: CapabilityOverride | undefined): EpjCapabilities {
  if (!o) return base;
  const types: Record<string, TypeCapability> = {};
  const names = new Set([...Object.keys(base.types), ...(o.read ?? []), ...(o.create ?? [])]);
  for (const name of names) {
    const t = { ...(base.types[name] ?? NOTHING) };
    if (o.read) t.read = t.search = o.read.includes(name);
    if (o.create) t.create = o.create.includes(name);
    if (o.conditionalCreate !== undefined) t.conditionalCreate = o.conditionalCreate && t.create;
    if (o.ifMatch !== undefined) t.ifMatch = o.ifMatch;
    if (o.include !== undefined) t.include = o.include && t.search;
    types[name] = t;
  }
  return {
    source: base.source === 'unknown' || o.ignoreStatement ? 'override' : 'statement+override',
    types,
    transactions: o.transactions ?? base.transactions,
    batch: base.batch,
    ...(base.bulkExport !== undefined ? { bulkExport: base.bulkExport } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// What the app cannot read, and what that means (the sentences the user reads).

export interface CapabilityNote {
  /** Stable id, e.g. 'medications'. */
  id: string;
  /** Norwegian sentence for the user. */
  text: string;
  /** Where it matters: the patient panel, the list overview, the inbox. */
  where: ('patient' | 'list' | 'inbox')[];
}

interface Need {
  id: string;
  /** Any of these readable is enough. */
  types: string[];
  text: string;
  where: CapabilityNote['where'];
  /** The target-group facts that cannot be checked without it. */
  facts: FactKind[];
}

const NEEDS: Need[] = [
  { id: 'conditions', types: ['Condition'], text: 'Diagnoselisten er ikke tilgjengelig fra journalsystemet: målgruppene kan ikke vurderes ut fra diagnoser.', where: ['patient', 'list'], facts: ['conditions'] },
  { id: 'medications', types: ['MedicationStatement', 'MedicationRequest'], text: 'Legemiddellisten er ikke tilgjengelig fra journalsystemet: polyfarmasi kan ikke vurderes.', where: ['patient', 'list'], facts: ['medications'] },
  { id: 'frailty', types: ['Observation'], text: 'Målinger (som skrøpelighetsskår og boforhold) er ikke tilgjengelige fra journalsystemet: skrøpelighetsskår kan ikke vurderes.', where: ['patient', 'list'], facts: ['frailtyScores', 'livesInInstitution'] },
  { id: 'procedures', types: ['Procedure'], text: 'Prosedyrer er ikke tilgjengelige fra journalsystemet: legemiddelgjennomganger registrert i journalen kan ikke sees.', where: ['patient', 'list'], facts: ['medicationReviews'] },
  { id: 'care-plans', types: ['CarePlan'], text: 'Behandlingsplaner er ikke tilgjengelige fra journalsystemet: behovet for behandlingsplan kan ikke vurderes.', where: ['patient', 'list'], facts: ['carePlans'] },
  { id: 'contacts', types: ['Encounter'], text: 'Kontakter er ikke tilgjengelige fra journalsystemet: svake etterspørrere og innleggelser kan ikke vurderes.', where: ['patient', 'list', 'inbox'], facts: ['contacts'] },
  { id: 'discharge-documents', types: ['DocumentReference'], text: 'Dokumenter (epikriser) er ikke tilgjengelige fra journalsystemet: utskrivninger sees bare som innleggelser og meldinger.', where: ['patient', 'list', 'inbox'], facts: [] },
  { id: 'discharge-messages', types: ['Communication'], text: 'Meldinger (utskrivningsmeldinger) er ikke tilgjengelige fra journalsystemet: utskrivninger sees bare som innleggelser og dokumenter.', where: ['patient', 'list', 'inbox'], facts: [] },
  { id: 'coverage', types: ['Coverage'], text: 'Frikort og fritak er ikke tilgjengelige fra journalsystemet: fritak for egenandel må sjekkes manuelt.', where: ['patient'], facts: [] },
];

export interface CapabilityReport {
  source: EpjCapabilities['source'];
  /** Types the app can read (search) from this EPJ. */
  readable: string[];
  /** Types the EPJ accepts created. */
  creatable: string[];
  transactions: boolean;
  conditionalCreate: boolean;
  ifMatch: boolean;
  include: boolean;
  /** What the app cannot read, as sentences for the user. */
  notes: CapabilityNote[];
  /** Fact kinds the target-group rules cannot check (for the classifier's `unavailable`). */
  unavailableFacts: FactKind[];
}

export function capabilityReport(caps: EpjCapabilities): CapabilityReport {
  const readable = Object.entries(caps.types).filter(([, t]) => t.search).map(([name]) => name).sort();
  const creatable = Object.entries(caps.types).filter(([, t]) => t.create).map(([name]) => name).sort();
  const anyType = (pick: (t: TypeCapability) => boolean) => Object.values(caps.types).some(pick);
  const notes: CapabilityNote[] = [];
  const unavailableFacts = new Set<FactKind>();
  if (caps.source !== 'unknown') {
    const dischargeGone = !readable.includes('DocumentReference') && !readable.includes('Communication');
    for (const need of NEEDS) {
      if (need.types.some((t) => readable.includes(t))) continue;
      if (dischargeGone && need.id === 'discharge-messages') continue; // one sentence for both below
      if (dischargeGone && need.id === 'discharge-documents') {
        notes.push({ id: 'discharge-letters', text: 'Epikriser og utskrivningsmeldinger er ikke tilgjengelige fra journalsystemet: utskrivninger sees bare når journalsystemet har registrert innleggelsen.', where: ['patient', 'list', 'inbox'] });
        continue;
      }
      notes.push({ id: need.id, text: need.text, where: need.where });
      for (const f of need.facts) unavailableFacts.add(f);
    }
  } else {
    notes.push({ id: 'unknown', text: 'Appen fikk ikke lest hva journalsystemet støtter; manglende opplysninger kan skyldes journalsystemet.', where: ['patient', 'list', 'inbox'] });
  }
  return {
    source: caps.source,
    readable,
    creatable,
    transactions: caps.transactions,
    conditionalCreate: anyType((t) => t.conditionalCreate),
    ifMatch: anyType((t) => t.ifMatch),
    include: anyType((t) => t.include),
    notes,
    unavailableFacts: [...unavailableFacts],
  };
}

// ---------------------------------------------------------------------------------------------
// Fetch and cache

/** How long a fetched statement is kept (the sandbox switches profile at run time; real EPJs rarely do). */
export const CAPABILITY_TTL_MS = 5 * 60_000;
/** A failed fetch is retried after this long, not on every request. */
const FAILURE_TTL_MS = 30_000;

export type MetadataFetch = (url: string) => Promise<Response>;

export class CapabilityCache {
  private readonly entries = new Map<string, { at: number; value: Promise<EpjCapabilities> }>();
  constructor(
    private readonly fetchMetadata: MetadataFetch = (url) => fetch(url, { headers: { accept: 'application/fhir+json' } }),
    private readonly now: () => number = Date.now,
    private readonly ttlMs = CAPABILITY_TTL_MS,
  ) {}

  /**
   * The EPJ's capabilities (override applied); fetched once per `iss` and kept `ttlMs`. `fetchMetadata`
   * replaces the cache's own fetch for this call (e.g. the server's Backend Services GET).
   */
  async get(iss: string, override?: CapabilityOverride, fetchMetadata?: MetadataFetch): Promise<EpjCapabilities> {
    if (override?.ignoreStatement) return applyOverride({ source: 'unknown', types: {}, transactions: false, batch: false }, override);
    const known = this.entries.get(iss);
    let base: EpjCapabilities;
    if (known && this.now() - known.at < this.ttlMs) {
      base = await known.value;
    } else {
      const value = this.load(iss, fetchMetadata ?? this.fetchMetadata);
      this.entries.set(iss, { at: this.now(), value });
      base = await value;
      // A failure is kept briefly only.
      if (base.source === 'unknown') this.entries.set(iss, { at: this.now() - this.ttlMs + FAILURE_TTL_MS, value });
    }
    return applyOverride(base, override);
  }

  /** Drops what is known of `iss`: the next `get` reads its CapabilityStatement again (called at each launch). */
  forget(iss: string): void {
    this.entries.delete(iss);
  }

  private async load(iss: string, fetchMetadata: MetadataFetch): Promise<EpjCapabilities> {
    try {
      const res = await fetchMetadata(`${iss.replace(/\/+$/, '')}/metadata`);
      if (!res.ok) return { source: 'unknown', types: {}, transactions: false, batch: false };
      return parseCapabilityStatement(await res.json());
    } catch {
      return { source: 'unknown', types: {}, transactions: false, batch: false };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// What the server's readers do with it

/**
 * How the app server reads an EPJ: the types it may search (undefined = every type, when the statement could
 * not be read: the reads then say what fails), the fact kinds the target-group rules cannot check (the
 * classifier's `unavailable`), and whether the population scan may use `$export`.
 */
export interface ReadPlan {
  readable: ReadonlySet<string> | undefined;
  unavailable: FactKind[];
  bulkExport: boolean;
}

export function readPlan(caps: EpjCapabilities): ReadPlan {
  if (caps.source === 'unknown') return { readable: undefined, unavailable: [], bulkExport: false };
  const report = capabilityReport(caps);
  return { readable: new Set(report.readable), unavailable: report.unavailableFacts, bulkExport: caps.bulkExport === true };
}

/**
 * The plan for an EPJ, its statement fetched with `get` (the server's Backend Services GET) through `cache`
 * (a fresh cache = one fetch now, e.g. once per nightly scan).
 */
export async function readPlanFor(iss: string, get: (url: URL) => Promise<Response>, override?: CapabilityOverride, cache: CapabilityCache = new CapabilityCache()): Promise<ReadPlan> {
  return readPlan(await cache.get(iss, override, (url) => get(new URL(url))));
}

/** A plan that reads everything (no statement at hand: tests, the full sandbox). */
export const READ_EVERYTHING: ReadPlan = { readable: undefined, unavailable: [], bulkExport: false };

/** True when the plan lets the server search `type`. */
export function canRead(plan: ReadPlan, type: string): boolean {
  return plan.readable === undefined || plan.readable.has(type);
}

type Resolved = { response: Response } | { launch: { iss: string } };

/**
 * `GET /api/capabilities` for a launched session (server/app.ts mounts it with one line):
 * `{ capabilities: CapabilityReport }`.
 */
export function capabilitiesRoute(
  resolve: (c: Context) => Promise<Resolved>,
  lookup: (iss: string) => { capabilities?: CapabilityOverride } | undefined,
  cache: CapabilityCache = new CapabilityCache(),
) {
  return async (c: Context) => {
    const r = await resolve(c);
    if ('response' in r) return r.response;
    const entry = lookup(r.launch.iss);
    if (!entry) return c.json({ error: 'Journalsystemet er ikke registrert for appen.' }, 403);
    const caps = await cache.get(r.launch.iss, entry.capabilities);
    return c.json({ capabilities: capabilityReport(caps) });
  };
}
