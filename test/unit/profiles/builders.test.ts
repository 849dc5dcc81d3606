// Every builder of a resource the app writes, fed realistic inputs, produces a resource that validates against
// FHIR R4 core and the PHT profile it claims (fhir-profiles/; validator.ts: Medplum's validator plus required
// bindings, extension definitions and reference targets). Includes the lifecycle: a task after attempts and
// at close, a charge after a co-payment decision, a cancellation and a claim mark, a ledger after writes.
// A builder that writes something the profiles do not allow makes this file fail (issue "FHIR profiles").
//
// Find builders: `grep -rn "profileMeta\|meta: { profile" src/fhir`. When you add one, add it here; the last
// test fails when a write profile is not produced by any builder below.
import type { ChargeItem, CodeSystem, Resource, Task } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, test } from 'vitest';
import { allocateCopayments, REASON_SAME_DAY, type CopayDecision, type DayCharge } from '../../../src/domain/copay';
import { closeTask, FOLLOW_UP_CLOSE_REASONS, recordAttempt, type FollowUpTask } from '../../../src/domain/followUp';
import { TARGET_GROUPS, type Reason, type RuleId } from '../../../src/domain/targetGroups';
import { pilot2018Catalogue, priceLines, type PricedLine } from '../../../src/domain/tariffs';
import {
  AUDITED_EXPORTS,
  AUDITED_LISTS,
  AUDIT_SYSTEMS,
  buildExportAuditEvent,
  buildListViewAuditEvent,
  type AuditedExport,
  type AuditedList,
  type BuildContext,
} from '../../../src/fhir/audit';
import {
  buildMedicationReviewNeedAssessment,
  buildOutreachAssessment,
  buildTargetGroupAssessment,
  type OutreachNeed,
} from '../../../src/fhir/builders/assessment';
import { buildTeamChargeItem } from '../../../server/features/contact-copay/chargeItem';
import { chargeIdFor } from '../../../server/features/contact-copay/store';
import { profileUrl, reference, type PhtProfileId, type UserReference } from '../../../src/fhir/builders/common';
import { buildTargetGroupFlag, closedTargetGroupFlag, updatedTargetGroupFlag } from '../../../src/fhir/builders/flag';
import {
  applyFollowUpState,
  buildDischargeFollowUpTask,
  buildGpMedicationReviewTask,
  buildOutreachTask,
  toFollowUpTask,
  type DischargeFollowUpTaskInput,
  type TaskContactAttempt,
} from '../../../src/fhir/builders/task';
import {
  assertValidAgainstProfiles,
  phtProfiles,
  readGeneratedResources,
} from './validator.ts';

// ------------------------------------------------------------------------------------------- fixtures

const PATIENT = 'pat-kari';
const CHILD = 'pat-emil';
const NURSE_ID = 'nurse-siri';
const GP_ID = 'gp-lars';
const SECRETARY_ID = 'secretary-hanne';
const ORG_ID = 'org-legekontor';
const NURSE: UserReference = reference('Practitioner', NURSE_ID);
const GP: UserReference = { ...reference('Practitioner', GP_ID), display: 'Lars Lege' };
/** A user whose SMART fhirUser is a PractitionerRole (some EPJs launch with one). */
const NURSE_ROLE: UserReference = reference('PractitionerRole', 'role-siri');

const DAY = '2026-11-24'; // Tuesday
const CONTACT_ID = 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e06';

/** Write profiles seen in this file, for the coverage test at the end. */
const produced = new Set<string>();

/** Validates a builder's output: it claims `profile` and has no error against core and that profile. */
function expectValid(resource: Resource, profile: PhtProfileId): void {
  expect(resource.meta?.profile?.[0]).toBe(profileUrl(profile));
  assertValidAgainstProfiles(resource, { requireProfile: true });
  produced.add(profileUrl(profile));
}


/** A created resource as the server returns it (id, versionId, lastUpdated). */
function stored<T extends Resource>(resource: T, id: string, versionId = '1'): T {
  return { ...resource, id, meta: { ...resource.meta, versionId, lastUpdated: '2026-11-23T07:02:00.000Z' } };
}


function line(code: string, quantity = 1, day = DAY): PricedLine {
  const [priced] = priceLines([{ code, quantity }], pilot2018Catalogue, day).lines;
  if (!priced) throw new Error(`no line ${code}`);
  return priced;
}

/** The ChargeItem the server queues for an EPJ that accepts them (server/features/contact-copay/chargeItem.ts). */
function teamCharge(code: string, decision: CopayDecision, over: { contactId?: string; occurrence?: string; practitionerId?: string; quantity?: number; patientId?: string } = {}): ChargeItem {
  const contactId = over.contactId ?? CONTACT_ID;
  return buildTeamChargeItem({
    chargeId: chargeIdFor(contactId, code),
    patientId: over.patientId ?? PATIENT,
    line: line(code, over.quantity ?? 1),
    performer: `Practitioner/${over.practitionerId ?? NURSE_ID}`,
    occurrence: over.occurrence ?? `${DAY}T10:00:00+01:00`,
    enteredDate: `${DAY}T10:50:12.000Z`,
    decision,
  });
}

/** The charge as stored in the EPJ (id and version assigned). */
function storedCharge(item: ChargeItem, id = 'charge-1'): ChargeItem {
  return stored(item, id);
}

beforeAll(() => {
  phtProfiles(); // builds fhir-profiles if stale (SUSHI, 10-20 s) and loads the definitions
}, 180_000);

describe('team charge ChargeItem (pht-team-charge)', () => {
  test.each(pilot2018Catalogue.tariffs.map((t) => [t.code, t.profession] as const))('every catalogue tariff: %s (%s)', (code, profession) => {
    const by = profession === 'gp' ? { practitionerId: GP_ID } : {};
    const item = teamCharge(code, { id: chargeIdFor(CONTACT_ID, code), charged: line(code).egenandel, waived: 0 }, by);
    expectValid(storedCharge(item), 'pht-team-charge');
  });

  test('the day decided by the one-egenandel rule: the GP bears it, the nurse visit is SAME_DAY', () => {
    const gpLine = line('2ad');
    const visit = line('S3');
    const day: DayCharge[] = [
      { id: chargeIdFor('c-gp', '2ad'), at: `${DAY}T08:30:00+01:00`, egenandel: gpLine.egenandel },
      { id: chargeIdFor(CONTACT_ID, 'S3'), at: `${DAY}T10:00:00+01:00`, egenandel: visit.egenandel },
    ];
    const [gpDecision, visitDecision] = allocateCopayments(day, { birthDate: '1944-11-13' });
    if (!gpDecision || !visitDecision) throw new Error('no decisions');
    expect(visitDecision.reason).toBe(REASON_SAME_DAY);
    const gpCharge = teamCharge('2ad', gpDecision, { contactId: 'c-gp', practitionerId: GP_ID, occurrence: `${DAY}T08:30:00+01:00` });
    expectValid(storedCharge(gpCharge, 'charge-gp'), 'pht-team-charge');
    expectValid(storedCharge(teamCharge('S3', visitDecision)), 'pht-team-charge');
  });
});

// ------------------------------------------------------------------------------- Flag and Procedure

const RULE_OF_GROUP: Readonly<Record<(typeof TARGET_GROUPS)[number], RuleId>> = {
  chronic: 'chronic.key-disease-with-discharge',
  'mental-substance': 'mental-substance.diagnosis',
  'frail-elderly': 'frail-elderly.age-with-frailty-score',
  disability: 'disability.diagnosis',
};

describe('target-group Flag (pht-target-group-flag)', () => {
  test.each(TARGET_GROUPS.flatMap((group) => [[group, false], [group, true]] as const))('%s, confirmed %s', (group, confirmed) => {
    const reasons: Reason[] = [{ group, rule: RULE_OF_GROUP[group], evidence: ['ICPC-2 T90 (diabetes)', 'Utskrevet 2026-11-20'] }];
    expectValid(buildTargetGroupFlag({ patientId: PATIENT, group, confirmed, reasons, start: DAY }), 'pht-target-group-flag');
  });

  test('without evidence; updated (confirmed) keeping its start; closed; re-opened', () => {
    const candidate = stored(buildTargetGroupFlag({ patientId: PATIENT, group: 'chronic', confirmed: false, reasons: [], start: '2026-03-01' }), 'flag-1');
    expectValid(candidate, 'pht-target-group-flag');
    const confirmed = updatedTargetGroupFlag(candidate, { patientId: PATIENT, group: 'chronic', confirmed: true, reasons: [], start: DAY });
    expectValid(confirmed, 'pht-target-group-flag');
    const closed = closedTargetGroupFlag(stored(confirmed, 'flag-1', '2'), DAY);
    expectValid(closed, 'pht-target-group-flag');
    expectValid(updatedTargetGroupFlag(stored(closed, 'flag-1', '3'), { patientId: PATIENT, group: 'chronic', confirmed: false, reasons: [], start: '2026-12-01' }), 'pht-target-group-flag');
  });
});

describe('assessment Procedures', () => {
  test.each(TARGET_GROUPS.flatMap((group) => [[group, true], [group, false]] as const))('target group %s, include %s (pht-target-group-assessment)', (group, include) => {
    const procedure = buildTargetGroupAssessment({ patientId: PATIENT, recorder: GP, performed: `${DAY}T09:15:00+01:00`, group, include, note: 'Hyppige innleggelser.' });
    expectValid(procedure, 'pht-target-group-assessment');
  });

  test.each([true, false])('medication review needed %s, with and without a note (pht-medication-review-need-assessment)', (needed) => {
    expectValid(buildMedicationReviewNeedAssessment({ patientId: PATIENT, recorder: GP, performed: `${DAY}T11:00:00+01:00`, needed }), 'pht-medication-review-need-assessment');
    expectValid(buildMedicationReviewNeedAssessment({ patientId: PATIENT, recorder: NURSE_ROLE, performed: DAY, needed, note: '11 faste legemidler.' }), 'pht-medication-review-need-assessment');
  });

  const needs: readonly OutreachNeed[] = ['follow-up-needed', 'no-follow-up-needed', 'not-reached'];
  test.each(needs)('outreach: %s, without and with offers (pht-outreach-assessment)', (need) => {
    const base = { patientId: PATIENT, recorder: NURSE, performed: '2026-11-25T08:00:00.000Z', need, note: 'Bor alene.' };
    expectValid(buildOutreachAssessment(base), 'pht-outreach-assessment');
    for (const kind of ['consultation', 'home-visit'] as const) {
      for (const accepted of [true, false]) {
        expectValid(buildOutreachAssessment({ ...base, offer: { kind, date: '2026-12-02', accepted } }), 'pht-outreach-assessment');
      }
    }
  });
});

// --------------------------------------------------------------------------------------------- Task

const EPISODE: DischargeFollowUpTaskInput = {
  episodeKey: `${PATIENT}|org:org-ahus|2026-11-20`,
  patientId: PATIENT,
  signals: [
    { resourceType: 'Encounter', id: 'enc-discharge' },
    { resourceType: 'DocumentReference', id: 'doc-epikrise' },
  ],
  deadline: '2026-11-25',
  dischargeDate: '2026-11-20',
  institution: { id: 'org-ahus', name: 'Akershus universitetssykehus HF' },
  ownerId: NURSE_ID,
  requester: { practitionerId: SECRETARY_ID },
  authoredOn: '2026-11-23T08:02:00+01:00',
};

function followUpOf(task: Task): FollowUpTask {
  const { followUp, issues } = toFollowUpTask(task);
  expect(issues).toEqual([]);
  if (!followUp) throw new Error('not a follow-up task');
  return followUp;
}

describe('follow-up Task (pht-follow-up-task)', () => {
  const created = stored(buildDischargeFollowUpTask(EPISODE), 'task-1');

  test('created from the inbox (owner assigned) and by the headless sweep (requester the practice, no owner, date unconfirmed, institution by name)', () => {
    expectValid(buildDischargeFollowUpTask(EPISODE), 'pht-follow-up-task');
    const sweep = buildDischargeFollowUpTask({
      ...EPISODE,
      signals: [{ resourceType: 'Communication', id: 'com-1' }],
      dischargeDate: undefined,
      institution: { name: 'Sykehuset Østfold' },
      ownerId: undefined,
      requester: { organizationId: ORG_ID },
      authoredOn: '2026-11-23T03:00',
    });
    expectValid(sweep, 'pht-follow-up-task');
    expectValid(buildDischargeFollowUpTask({ ...EPISODE, signals: [{ resourceType: 'DocumentReference', id: 'doc-1' }], institution: undefined }), 'pht-follow-up-task');
  });

  test('assigned, re-assigned and unassigned; the discharge date confirmed later', () => {
    const assigned = applyFollowUpState(created, { ...followUpOf(created), owner: 'nurse-2' }, { now: '2026-11-23T09:00:00+01:00', by: SECRETARY_ID });
    expectValid(assigned, 'pht-follow-up-task');
    expectValid(applyFollowUpState(created, { ...followUpOf(created), owner: undefined }, { now: '2026-11-23T09:00:00+01:00' }), 'pht-follow-up-task');
    const unconfirmed = stored(buildDischargeFollowUpTask({ ...EPISODE, dischargeDate: undefined }), 'task-2');
    const confirmed = applyFollowUpState(unconfirmed, { ...followUpOf(unconfirmed), dischargeDate: '2026-11-20', deadline: '2026-11-25' }, { now: '2026-11-23T09:00', by: SECRETARY_ID });
    expectValid(confirmed, 'pht-follow-up-task');
  });

  test('after attempts: failed call (in-progress), then a home visit that reached the patient (completed, met, outputs)', () => {
    const first = recordAttempt(followUpOf(created), { at: '2026-11-23T10:00', channel: 'phone', by: NURSE_ID, successful: false, note: 'Ingen svar' });
    const afterAttempt = applyFollowUpState(created, first, { now: '2026-11-23T10:01:00+01:00', by: NURSE_ID });
    expect(afterAttempt.status).toBe('in-progress');
    expectValid(afterAttempt, 'pht-follow-up-task');
    const second = recordAttempt(followUpOf(stored(afterAttempt, 'task-1', '2')), { at: '2026-11-23T14:00:00+01:00', channel: 'written', by: NURSE_ID, successful: false });
    const afterTwo = applyFollowUpState(stored(afterAttempt, 'task-1', '2'), second, { now: '2026-11-23T14:00:00+01:00', by: NURSE_ID });
    expectValid(afterTwo, 'pht-follow-up-task');
    const visit: TaskContactAttempt = { at: '2026-11-24T10:00:00+01:00', channel: 'home-visit', by: NURSE_ID, successful: true, note: 'Hjemmebesøk', contactId: 'enc-visit-1' };
    const contacted = recordAttempt(followUpOf(stored(afterTwo, 'task-1', '3')), visit);
    const done = applyFollowUpState(stored(afterTwo, 'task-1', '3'), contacted, { now: '2026-11-24T11:00:00+01:00', by: NURSE_ID, gpTaskId: 'gp-task-1' });
    expect(done.status).toBe('completed');
    expect(done.businessStatus?.coding?.[0]?.code).toBe('met');
    expectValid(done, 'pht-follow-up-task');
  });

  test.each(['phone', 'video', 'in-person', 'written'] as const)('contacted after the deadline by %s (completed, late)', (channel) => {
    const late = recordAttempt(followUpOf(created), { at: '2026-11-26T09:00:00+01:00', channel, by: NURSE_ID, successful: true });
    const task = applyFollowUpState(created, late, { now: '2026-11-26T09:05:00+01:00', by: NURSE_ID });
    expect(task.businessStatus?.coding?.[0]?.code).toBe('late');
    expectValid(task, 'pht-follow-up-task');
  });

  test.each(FOLLOW_UP_CLOSE_REASONS.flatMap((reason) => [[reason, '2026-11-24T12:00:00+01:00'], [reason, '2026-11-27T12:00:00+01:00']] as const))(
    'closed: %s at %s (cancelled, statusReason; missed after the deadline)',
    (reason, at) => {
      const attempted = recordAttempt(followUpOf(created), { at: '2026-11-23T10:00', channel: 'phone', by: NURSE_ID, successful: false });
      const closed = applyFollowUpState(created, closeTask(attempted, { reason, at, by: SECRETARY_ID, note: 'Notat' }), { now: at, by: SECRETARY_ID });
      expect(closed.status).toBe('cancelled');
      expectValid(closed, 'pht-follow-up-task');
    },
  );

  test('closed at triage, before it was ever stored (no follow-up needed)', () => {
    const fresh = buildDischargeFollowUpTask({ ...EPISODE, ownerId: undefined });
    const draft = followUpOf({ ...fresh, id: 'new' });
    const closed = applyFollowUpState(fresh, closeTask(draft, { reason: 'no-follow-up-needed', at: '2026-11-23T08:05:00+01:00', by: SECRETARY_ID }), {
      now: '2026-11-23T08:05:00+01:00',
      by: SECRETARY_ID,
    });
    expectValid(closed, 'pht-follow-up-task');
  });

  test('outreach: created (with and without a due date), contacted, closed', () => {
    const outreach = stored(buildOutreachTask({ key: `${PATIENT}|2026`, patientId: PATIENT, ownerId: NURSE_ID, requester: { practitionerId: GP_ID }, authoredOn: '2026-11-23T08:05:00+01:00', dueDate: '2026-12-15' }), 'task-o');
    expectValid(outreach, 'pht-follow-up-task');
    expectValid(buildOutreachTask({ key: `${CHILD}|2026`, patientId: CHILD, requester: { organizationId: ORG_ID }, authoredOn: '2026-11-23T08:05', description: 'Ikke sett på over ett år' }), 'pht-follow-up-task');
    const contacted = recordAttempt(followUpOf(outreach), { at: '2026-11-30T13:00:00+01:00', channel: 'phone', by: NURSE_ID, successful: true });
    expectValid(applyFollowUpState(outreach, contacted, { now: '2026-11-30T13:05:00+01:00', by: NURSE_ID }), 'pht-follow-up-task');
    const closed = closeTask(followUpOf(outreach), { reason: 'declined', at: '2026-11-30T13:00:00+01:00', by: NURSE_ID });
    expectValid(applyFollowUpState(outreach, closed, { now: '2026-11-30T13:05:00+01:00', by: NURSE_ID }), 'pht-follow-up-task');
  });

  test('GP medication review: created (with focus, GP and note; and bare), then closed by the GP', () => {
    const gpTask = stored(
      buildGpMedicationReviewTask({
        followUpTaskId: 'task-1',
        followUpIdentifier: created.identifier?.[0]?.value ?? '',
        patientId: PATIENT,
        gpId: GP_ID,
        requesterId: NURSE_ID,
        authoredOn: '2026-11-24T11:00:00+01:00',
        focus: { resourceType: 'DocumentReference', id: 'doc-epikrise' },
        note: 'Ny Marevan-dosering i epikrisen; ber om vurdering.',
      }),
      'gp-task-1',
    );
    expectValid(gpTask, 'pht-follow-up-task');
    expectValid(buildGpMedicationReviewTask({ followUpTaskId: 'task-1', followUpIdentifier: 'x', patientId: PATIENT, requesterId: NURSE_ID, authoredOn: '2026-11-24T11:00' }), 'pht-follow-up-task');
    const closed = closeTask(followUpOf(gpTask), { reason: 'not-needed-after-assessment', at: '2026-11-24T15:00:00+01:00', by: GP_ID });
    expectValid(applyFollowUpState(gpTask, closed, { now: '2026-11-24T15:00:00+01:00', by: GP_ID }), 'pht-follow-up-task');
  });
});

// ---------------------------------------------------------------------------------------- AuditEvent

const CTX: BuildContext = { fhirUser: `Practitioner/${GP_ID}`, now: new Date('2026-11-23T08:15:00.000Z'), eventId: '3f2b8a4c-1d5e-4f6a-9b7c-8d9e0f1a2b11' };
const LISTS = Object.keys(AUDITED_LISTS) as AuditedList[];
const EXPORTS = Object.keys(AUDITED_EXPORTS) as AuditedExport[];

describe('access log AuditEvent (pht-access-audit-event)', () => {
  test.each(LISTS)('list view of %s (user given; session fhirUser; PractitionerRole; unknown user)', (list) => {
    expectValid(buildListViewAuditEvent({ list, count: 312, user: { practitionerId: GP_ID, name: 'Lars Lege' } }, CTX), 'pht-access-audit-event');
    expectValid(buildListViewAuditEvent({ list, count: 0 }, CTX), 'pht-access-audit-event');
    expectValid(buildListViewAuditEvent({ list, count: 3 }, { ...CTX, fhirUser: 'https://epj.example/fhir/PractitionerRole/role-siri' }), 'pht-access-audit-event');
    expectValid(buildListViewAuditEvent({ list, count: 1 }, { ...CTX, fhirUser: undefined }), 'pht-access-audit-event');
  });

  test.each(EXPORTS.flatMap((e) => (['csv', 'xlsx', 'pdf', 'json'] as const).map((format) => [e, format] as const)))('export of %s as %s', (kind, format) => {
    expectValid(buildExportAuditEvent({ export: kind, count: 24, format, aggregate: kind === 'evaluation' }, CTX), 'pht-access-audit-event');
  });

  test('a filter whose values are all undefined writes no query, and is valid', () => {
    expectValid(buildListViewAuditEvent({ list: 'worklist', count: 5, query: { nurse: undefined } }, CTX), 'pht-access-audit-event');
  });

  test('a list view or export with a filter is valid (query and no name: core invariant sev-1)', () => {
    expectValid(buildListViewAuditEvent({ list: 'list-overview', count: 312, query: { gp: GP_ID, group: 'skrøpelig' } }, CTX), 'pht-access-audit-event');
    expectValid(buildExportAuditEvent({ export: 'worklist', count: 14, format: 'csv', query: { nurse: NURSE_ID, status: 'open' } }, CTX), 'pht-access-audit-event');
  });

  test('every audited list and export is a code of the audit-activity code system', () => {
    const cs = readGeneratedResources().find((r): r is CodeSystem => r.resourceType === 'CodeSystem' && r.url === AUDIT_SYSTEMS.activity);
    const codes = new Set((cs?.concept ?? []).map((c) => c.code));
    expect([...LISTS, ...EXPORTS, 'export'].filter((c) => !codes.has(c))).toEqual([]);
  });
});

// ----------------------------------------------------------------------------------------- coverage

describe('coverage', () => {
  test('every write profile of fhir-profiles was produced by a builder above', () => {
    // Issue 15: the contact Encounter, its note and the day's ledger Account are no longer written (the contact is
    // the app's own row; its journal note is server/epj/journalNote.ts). Their FSH is to be removed at merge.
    const retired = ['pht-nurse-contact', 'pht-contact-note', 'pht-copay-day'];
    const readOnly = ['pht-patient', 'pht-practitioner', 'pht-practitioner-role', ...retired].map((id) => `https://pht.example.org/fhir/StructureDefinition/${id}`);
    const writeProfiles = [...phtProfiles().values()].filter((sd) => sd.kind === 'resource' && !readOnly.includes(sd.url)).map((sd) => sd.url);
    expect(writeProfiles.length).toBeGreaterThanOrEqual(7);
    expect(writeProfiles.filter((url) => !produced.has(url))).toEqual([]);
  });
});
