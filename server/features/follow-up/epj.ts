// What the follow-up slice reads from the EPJ with the app server's own token (SMART Backend Services):
// the discharge signals of the look-back window, merged into episodes by the shared discharge reader
// (src/fhir/discharges.ts, SPEC §4), the patients they name (for the inbox row: name, birth date, phone;
// never a protected address), and each patient's target-group STATUS without evidence (server/epj/
// targetGroups.ts), so the secretary's triage needs no clinical read.
import type { Patient, Resource } from '@medplum/fhirtypes';
import type { CalendarOptions } from '../../../src/domain/calendar';
import type { TargetStatus } from '../../../src/domain/followUp';
import type { TargetGroup } from '../../../src/domain/targetGroups';
import { detectDischarges, INPATIENT_ENCOUNTER_CLASSES, type DischargeEpisode } from '../../../src/fhir/discharges';
import { toPatientDisplay, type PatientDisplay } from '../../../src/fhir/followUpsPatients';
import { CapabilityCache, canRead, readPlanFor, type ReadPlan } from '../../epj/capabilities';
import { searchAll, targetGroupStatus, type EpjGet } from '../../epj/targetGroups';

export interface DischargeRead {
  episodes: DischargeEpisode[];
  patients: Map<string, PatientDisplay>;
  target: Map<string, { status: TargetStatus; groups: TargetGroup[] }>;
}

export interface DischargeReadContext {
  /** `Organization/<id>` (the actor's practice): its own encounters are not discharges. */
  practiceId: string;
  /** Oslo date. */
  today: string;
  lookbackDays: number;
  calendar?: CalendarOptions;
  epikriseCodes?: { system: string; code: string }[];
  /** What the EPJ lets the server read; default: from its CapabilityStatement, through `capabilities`. */
  plan?: ReadPlan;
  /** The app server's one cache of CapabilityStatements (without it the statement is fetched for this read). */
  capabilities?: CapabilityCache;
}

const PATIENT_BATCH = 50;

function isoDay(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The discharge episodes of the look-back window, with the patients and their target-group status.
 * Discharge documents and messages are read by `_lastUpdated` only, never by their type/category code or
 * their own date (issue 16 item 3): a text-only category, a Volven 9602 type or a message with no date at all
 * reaches src/fhir/discharges.ts, which decides what is a discharge and dates it («utskrivningsdato mangler …
 * dato fra meldingen»). Types the EPJ cannot read are not asked for (the inbox says so: CapabilityNotes).
 */
export async function readDischarges(get: EpjGet, base: string, ctx: DischargeReadContext): Promise<DischargeRead> {
  const since = isoDay(ctx.today, -ctx.lookbackDays);
  const plan = ctx.plan ?? (await readPlanFor(base, (url) => get(url), undefined, ctx.capabilities));
  const reads: Promise<Resource[]>[] = [];
  if (canRead(plan, 'Encounter')) {
    reads.push(searchAll(get, base, 'Encounter', { class: INPATIENT_ENCOUNTER_CLASSES.join(','), status: 'finished', date: `ge${since}`, _count: '500' }));
  }
  for (const type of ['DocumentReference', 'Communication']) {
    if (canRead(plan, type)) reads.push(searchAll(get, base, type, { _lastUpdated: `ge${since}`, _count: '500' }));
  }
  const signals = (await Promise.all(reads)).flat();
  const discharges = {
    practiceOrgIds: [ctx.practiceId.replace(/^Organization\//, '')],
    today: ctx.today,
    ...(ctx.calendar ? { calendar: ctx.calendar } : {}),
    ...(ctx.epikriseCodes ? { epikriseCodes: ctx.epikriseCodes } : {}),
  };
  const first = detectDischarges(signals, discharges);
  const ids = [...new Set(first.episodes.map((e) => e.patientId).filter((id): id is string => id !== undefined))];
  const found: Patient[] = [];
  for (let i = 0; i < ids.length; i += PATIENT_BATCH) {
    found.push(...((await searchAll(get, base, 'Patient', { _id: ids.slice(i, i + PATIENT_BATCH).join(','), _count: '1000' })) as Patient[]));
  }
  const patients = new Map<string, PatientDisplay>();
  for (const p of found) if (p.id) patients.set(p.id, toPatientDisplay({ ...p, id: p.id }));
  const { episodes } = detectDischarges(signals, { ...discharges, knownPatientIds: new Set(patients.keys()) });
  const target = new Map<string, { status: TargetStatus; groups: TargetGroup[] }>();
  if (patients.size > 0) {
    for (const s of await targetGroupStatus(get, base, [...patients.keys()], ctx.today, plan)) {
      target.set(s.patientId, { status: s.confirmed.length > 0 ? 'confirmed' : s.groups.length > 0 ? 'candidate' : 'none', groups: s.groups });
    }
  }
  return { episodes, patients, target };
}
