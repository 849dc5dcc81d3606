// Access logging (SPEC §8: "list views and exports are logged (who saw which list when)"), as FHIR
// AuditEvents written to the EPJ, which owns the audit trail.
//
// Shape (IHE Basic Audit Log Patterns, "Query" and "Export"; FHIR R4 AuditEvent):
// - list view: type DICOM 110112 Query, subtype restful-interaction#search-type, action E;
// - export:    type DICOM 110106 Export, subtype our audit-activity#export, action R;
// - agent = the user (SMART fhirUser, requestor) plus the app; source = the app;
// - entity = which list or which export (our audit-activity code + Norwegian name), its filter as
//   `query` (base64, FHIR's type for it) and the number of rows as a detail; recorded = now.
//
// Fire and forget: `logListView`/`logExport` start the write and return a promise that never rejects,
// so a view calls `void logListView(...)` and renders at once. The write is retried (the client's
// backoff); a duplicate entry after a lost response is harmless in an append-only log, a lost one is
// not, so the create is marked idempotent on purpose. Every event carries its own uuid (entity detail
// `event-id`) so a reader can fold such duplicates.
import type { AuditEvent, AuditEventAgent, AuditEventEntity, Coding } from '@medplum/fhirtypes';
import type { FhirClient } from './client';
import { profileMeta } from './builders/common';
import { describeError } from './errors';
import { can, parseReference } from './session';
import { PHT_CANONICAL } from './systems';

export const AUDIT_SYSTEMS = {
  dicom: 'http://dicom.nema.org/resources/ontology/DCM',
  restfulInteraction: 'http://hl7.org/fhir/restful-interaction',
  entityType: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
  objectRole: 'http://terminology.hl7.org/CodeSystem/object-role',
  securitySourceType: 'http://terminology.hl7.org/CodeSystem/security-source-type',
  /** Our code system naming what was seen or exported. */
  activity: `${PHT_CANONICAL}/CodeSystem/audit-activity`,
} as const;

const QUERY: Coding = { system: AUDIT_SYSTEMS.dicom, code: '110112', display: 'Query' };
const EXPORT: Coding = { system: AUDIT_SYSTEMS.dicom, code: '110106', display: 'Export' };
const SEARCH_TYPE: Coding = { system: AUDIT_SYSTEMS.restfulInteraction, code: 'search-type', display: 'search type' };

export const APP_NAME = 'Primærhelseteam';

/** The lists a user can see (SPEC §1 role table), with the name the audit trail shows. */
export const AUDITED_LISTS = {
  'list-overview': 'Listeoversikt',
  inbox: 'Innboks (utskrivninger)',
  worklist: 'Arbeidsliste (oppfølging)',
  outreach: 'Oppsøkende (kandidater)',
  manager: 'Lederoversikt',
  'manager-charges': 'Takster og egenandeler',
  'manager-staff': 'Bemanning',
} as const;
export type AuditedList = keyof typeof AUDITED_LISTS;

/** The exports the app offers, with the name the audit trail shows. */
export const AUDITED_EXPORTS = {
  'list-overview': 'Eksport av listeoversikt',
  worklist: 'Eksport av arbeidsliste',
  outreach: 'Eksport av oppsøkende liste',
  'unclaimed-charges': 'Eksport av ikke-krevde egenandeler',
  evaluation: 'Evalueringseksport (aggregert)',
  compliance: 'Eksport av oppfølging innen frist',
} as const;
export type AuditedExport = keyof typeof AUDITED_EXPORTS;

/** Who looked: CurrentUser fits; when absent the session's fhirUser is used. */
export interface AuditUser {
  practitionerId: string;
  name?: string;
}

export interface ListViewAudit {
  list: AuditedList;
  /** Rows shown. */
  count: number;
  user?: AuditUser;
  /** The filter that chose the rows (e.g. `{ gp: 'gp-1', group: 'frail' }`), as the user set it. */
  query?: Record<string, string | number | boolean | undefined>;
}

export interface ExportAudit {
  export: AuditedExport;
  /** Rows in the file. */
  count: number;
  user?: AuditUser;
  format: 'csv' | 'xlsx' | 'pdf' | 'json';
  query?: Record<string, string | number | boolean | undefined>;
  /** True for aggregate exports (no patient identifiers, small cells suppressed). */
  aggregate?: boolean;
}

interface Common {
  /** `Practitioner/<id>` (or PractitionerRole) of the user. */
  agentReference: string | undefined;
  agentName: string | undefined;
  recorded: string;
  eventId: string;
}

function queryString(query: ListViewAudit['query']): string | undefined {
  if (!query) return undefined;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (value !== undefined) params.append(key, String(value));
  }
  const s = params.toString();
  return s.length > 0 ? s : undefined;
}

/** UTF-8 safe base64 (btoa alone refuses æøå). */
function base64(value: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(value)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function agents(common: Common): AuditEventAgent[] {
  const who: AuditEventAgent['who'] = common.agentReference
    ? { reference: common.agentReference, ...(common.agentName ? { display: common.agentName } : {}) }
    : { display: common.agentName ?? 'Ukjent bruker' };
  const user: AuditEventAgent = {
    type: { coding: [{ system: AUDIT_SYSTEMS.dicom, code: '110153', display: 'Source Role ID' }] },
    requestor: true,
    who,
    ...(common.agentName ? { name: common.agentName } : {}),
  };
  const app: AuditEventAgent = {
    type: { coding: [{ system: AUDIT_SYSTEMS.dicom, code: '110150', display: 'Application' }] },
    who: { display: APP_NAME },
    requestor: false,
  };
  return [user, app];
}

function entity(activity: string, name: string, role: Coding, count: number, query: string | undefined, eventId: string, extra: AuditEventEntity['detail'] = []): AuditEventEntity {
  return {
    what: { identifier: { system: AUDIT_SYSTEMS.activity, value: activity }, display: name },
    type: { system: AUDIT_SYSTEMS.entityType, code: '2', display: 'System Object' },
    role,
    // Core R4 invariant sev-1: an entity has a name or a query, not both; the name is in what.display.
    ...(query ? { query: base64(query), description: query } : { name }),
    detail: [{ type: 'count', valueString: String(count) }, { type: 'event-id', valueString: eventId }, ...extra],
  };
}

function base(common: Common, type: Coding, subtype: Coding, action: AuditEvent['action'], entities: AuditEventEntity[]): AuditEvent {
  return {
    resourceType: 'AuditEvent',
    meta: profileMeta('pht-access-audit-event'),
    type,
    subtype: [subtype],
    action,
    recorded: common.recorded,
    outcome: '0',
    agent: agents(common),
    source: {
      observer: { display: APP_NAME },
      type: [{ system: AUDIT_SYSTEMS.securitySourceType, code: '4', display: 'Application Server' }],
    },
    entity: entities,
  };
}

export interface BuildContext {
  /** SMART fhirUser of the session, used when `user` is not given. */
  fhirUser?: string;
  now: Date;
  eventId: string;
}

function commonOf(user: AuditUser | undefined, ctx: BuildContext): Common {
  const fromSession = parseReference(ctx.fhirUser);
  const agentReference = user?.practitionerId
    ? `Practitioner/${user.practitionerId}`
    : fromSession
      ? `${fromSession.resourceType}/${fromSession.id}`
      : undefined;
  return { agentReference, agentName: user?.name, recorded: ctx.now.toISOString(), eventId: ctx.eventId };
}

/** Pure: the AuditEvent for "this user saw this list (count rows, this filter) now". */
export function buildListViewAuditEvent(input: ListViewAudit, ctx: BuildContext): AuditEvent {
  const common = commonOf(input.user, ctx);
  const name = AUDITED_LISTS[input.list];
  const role: Coding = { system: AUDIT_SYSTEMS.objectRole, code: '24', display: 'Query' };
  return base(common, QUERY, SEARCH_TYPE, 'E', [entity(input.list, name, role, input.count, queryString(input.query), ctx.eventId)]);
}

/** Pure: the AuditEvent for "this user exported this (count rows, this format) now". */
export function buildExportAuditEvent(input: ExportAudit, ctx: BuildContext): AuditEvent {
  const common = commonOf(input.user, ctx);
  const name = AUDITED_EXPORTS[input.export];
  const role: Coding = { system: AUDIT_SYSTEMS.objectRole, code: '3', display: 'Report' };
  const subtype: Coding = { system: AUDIT_SYSTEMS.activity, code: 'export', display: 'Eksport' };
  const extra = [{ type: 'format', valueString: input.format }, { type: 'aggregate', valueString: String(input.aggregate === true) }];
  return base(common, EXPORT, subtype, 'R', [entity(input.export, name, role, input.count, queryString(input.query), ctx.eventId, extra)]);
}

export type AuditResult =
  | { status: 'logged'; id: string | undefined }
  | { status: 'skipped'; reason: 'not-permitted' | 'duplicate' }
  | { status: 'failed'; message: string };

export interface AuditOptions {
  now?: () => Date;
  eventId?: () => string;
  /** Told when a write failed after retries (e.g. to show "logging feilet" to a manager); never throws. */
  onFailure?: (message: string) => void;
  signal?: AbortSignal;
}

// The same list seen again within this window (a re-render, React StrictMode's double effect) is one
// view, not two.
const DUPLICATE_WINDOW_MS = 5_000;
const recent = new Map<string, number>();

function isDuplicate(key: string, at: number): boolean {
  for (const [k, t] of recent) if (at - t > DUPLICATE_WINDOW_MS) recent.delete(k);
  if (recent.has(key)) return true;
  recent.set(key, at);
  return false;
}

/** Tests: forget the duplicate window. */
export function resetAuditDeduplication(): void {
  recent.clear();
}

async function write(client: FhirClient, event: AuditEvent, opts: AuditOptions): Promise<AuditResult> {
  try {
    const saved = await client.create(event, { idempotent: true, signal: opts.signal });
    return { status: 'logged', id: saved.id };
  } catch (error) {
    const message = describeError(error).message;
    try {
      opts.onFailure?.(message);
    } catch {
      // A failing observer must not turn a logging failure into a view failure.
    }
    return { status: 'failed', message };
  }
}

function start(client: FhirClient, key: string | undefined, build: (ctx: BuildContext) => AuditEvent, opts: AuditOptions): Promise<AuditResult> {
  try {
    // Without a grant to write AuditEvents the EPJ must log the reads itself (README "Sikkerhet og
    // pålitelighet"); the app does not try and fail on every view.
    if (!can(client.session, 'AuditEvent', 'c')) return Promise.resolve({ status: 'skipped', reason: 'not-permitted' });
    const now = (opts.now ?? (() => new Date()))();
    if (key !== undefined && isDuplicate(key, now.getTime())) return Promise.resolve({ status: 'skipped', reason: 'duplicate' });
    const event = build({ fhirUser: client.session.fhirUser, now, eventId: (opts.eventId ?? (() => crypto.randomUUID()))() });
    return write(client, event, opts);
  } catch (error) {
    return Promise.resolve({ status: 'failed', message: describeError(error).message });
  }
}

/** Logs that the user saw a list. Never rejects and never blocks: call as `void logListView(...)`. */
export function logListView(client: FhirClient, input: ListViewAudit, opts: AuditOptions = {}): Promise<AuditResult> {
  const key = ['list', input.list, input.user?.practitionerId ?? client.session.fhirUser ?? '', queryString(input.query) ?? '', input.count].join('|');
  return start(client, key, (ctx) => buildListViewAuditEvent(input, ctx), opts);
}

/**
 * Logs an export. Never rejects and never blocks: call as `void logExport(...)` right after the file is
 * made. Not de-duplicated: every export is a file that left the app.
 */
export function logExport(client: FhirClient, input: ExportAudit, opts: AuditOptions = {}): Promise<AuditResult> {
  return start(client, undefined, (ctx) => buildExportAuditEvent(input, ctx), opts);
}
