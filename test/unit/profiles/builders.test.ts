// Every builder of a resource the app writes, fed realistic inputs, produces a resource that validates against
// FHIR R4 core and the PHT profile it claims (fhir-profiles/; validator.ts: Medplum's validator plus required
// bindings, extension definitions and reference targets). Includes the lifecycle: a charge after a
// co-payment decision, a cancellation and a claim mark, a ledger after writes.
// A builder that writes something the profiles do not allow makes this file fail (issue "FHIR profiles").
//
// Find builders: `grep -rn "profileMeta\|meta: { profile" src/fhir`. When you add one, add it here; the last
// test fails when a write profile is not produced by any builder below.
import type { ChargeItem, CodeSystem, Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, test } from 'vitest';
import { allocateCopayments, REASON_SAME_DAY, type CopayDecision, type DayCharge } from '../../../src/domain/copay';
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
import { buildCopayDayAccount, bumpedLedger } from '../../../src/fhir/builders/account';
import { buildMedicationReviewNeedAssessment } from '../../../src/fhir/builders/assessment';
import { buildTeamCharge, cancelledCharge, chargeIdFor, withCopayDecision } from '../../../src/fhir/builders/charge';
import { profileUrl, reference, type PhtProfileId, type UserReference } from '../../../src/fhir/builders/common';
import { buildContactNote, buildNurseContact, type ContactChannel, type NurseContactFacts } from '../../../src/fhir/builders/contact';
import { buildTargetGroupFlag } from '../../../src/fhir/builders/flag';
import { withClaimMark } from '../../../src/fhir/managerCharges';
import { MANAGER_EXTENSIONS } from '../../../src/fhir/managerSystems';
import type { ContactKind } from '../../../src/domain/tariffs';
import {
  assertValidAgainstProfiles,
  errorsOf,
  phtProfiles,
  readGeneratedResources,
  validateAgainstProfiles,
} from './validator.ts';

// ------------------------------------------------------------------------------------------- fixtures

const PATIENT = 'pat-kari';
const CHILD = 'pat-emil';
const NURSE_ID = 'nurse-siri';
const GP_ID = 'gp-lars';
const ORG_ID = 'org-legekontor';
const NURSE: UserReference = reference('Practitioner', NURSE_ID);
const GP: UserReference = { ...reference('Practitioner', GP_ID), display: 'Lars Lege' };
/** A user whose SMART fhirUser is a PractitionerRole (some EPJs launch with one). */
const NURSE_ROLE: UserReference = reference('PractitionerRole', 'role-siri');

const DAY = '2026-11-24'; // Tuesday
const CONTACT_ID = 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e06';
const ENCOUNTER_URN = 'urn:uuid:7d1f0c52-1f4e-4a9b-9d55-0b6f3f7e9a10';

/** Write profiles seen in this file, for the coverage test at the end. */
const produced = new Set<string>();

/** Validates a builder's output: it claims `profile` and has no error against core and that profile. */
function expectValid(resource: Resource, profile: PhtProfileId): void {
  // The canonical of fhir-profiles/sushi-config.yaml, written out: a wrong base in profileUrl must fail here.
  expect(resource.meta?.profile?.[0]).toBe(`https://pht.example.org/fhir/StructureDefinition/${profile}`);
  assertValidAgainstProfiles(resource, { requireProfile: true });
  produced.add(profileUrl(profile));
}

/**
 * The resource as the server stores it after the transaction: a `urn:uuid:` placeholder of another entry
 * (the contact's Encounter) becomes the literal reference the server assigned (FHIR R4 http.html#trules).
 * The validator checks reference targets, which a placeholder cannot show.
 */
function afterTransaction<T extends Resource>(resource: T, resolved: Record<string, string>): T {
  let json = JSON.stringify(resource);
  for (const [urn, ref] of Object.entries(resolved)) json = json.split(JSON.stringify(urn)).join(JSON.stringify(ref));
  return JSON.parse(json) as T;
}

/** A created resource as the server returns it (id, versionId, lastUpdated). */
function stored<T extends Resource>(resource: T, id: string, versionId = '1'): T {
  return { ...resource, id, meta: { ...resource.meta, versionId, lastUpdated: '2026-11-23T07:02:00.000Z' } };
}

function errorTexts(resource: Resource): string[] {
  return errorsOf(validateAgainstProfiles(resource)).map((i) => i.details?.text ?? i.diagnostics ?? String(i.code));
}

function line(code: string, quantity = 1, day = DAY): PricedLine {
  const [priced] = priceLines([{ code, quantity }], pilot2018Catalogue, day).lines;
  if (!priced) throw new Error(`no line ${code}`);
  return priced;
}

function teamCharge(code: string, decision: CopayDecision, over: { contactId?: string; occurrence?: string; practitionerId?: string; enterer?: UserReference; quantity?: number; patientId?: string } = {}): ChargeItem {
  const contactId = over.contactId ?? CONTACT_ID;
  return buildTeamCharge({
    contactId,
    patientId: over.patientId ?? PATIENT,
    encounter: { reference: ENCOUNTER_URN },
    account: reference('Account', 'acc-kari-2026-11-24'),
    line: line(code, over.quantity ?? 1),
    practitionerId: over.practitionerId ?? NURSE_ID,
    occurrence: over.occurrence ?? `${DAY}T10:00:00+01:00`,
    enterer: over.enterer ?? NURSE,
    enteredDate: `${DAY}T10:50:12.000Z`,
    decision,
  });
}

/** The charge as stored after its transaction (Encounter resolved, id and version assigned). */
function storedCharge(item: ChargeItem, id = 'charge-1'): ChargeItem {
  return stored(afterTransaction(item, { [ENCOUNTER_URN]: 'Encounter/enc-visit-1' }), id);
}

beforeAll(() => {
  phtProfiles(); // builds fhir-profiles if stale (SUSHI, 10-20 s) and loads the definitions
}, 180_000);

// -------------------------------------------------------------------------------- Account (ledger)

describe('co-payment ledger Account (pht-copay-day)', () => {
  const created = buildCopayDayAccount(PATIENT, DAY, NURSE);

  test('created by the first writer of the patient-day', () => {
    expectValid(created, 'pht-copay-day');
  });

  test('after writes: revision bumped, recorded-by replaced, the nurse answer "paid elsewhere" yes and no', () => {
    const once = bumpedLedger(stored(created, 'acc-1'), GP);
    const answeredYes = bumpedLedger(stored(once, 'acc-1', '2'), NURSE, true);
    const answeredNo = bumpedLedger(stored(answeredYes, 'acc-1', '3'), NURSE_ROLE, false);
    for (const account of [once, answeredYes, answeredNo]) expectValid(account, 'pht-copay-day');
  });

  test('an Oslo day in summer time, and a patient id with dashes and dots', () => {
    expectValid(buildCopayDayAccount('p.123-abc', '2026-07-01', NURSE_ROLE), 'pht-copay-day');
  });

  test('the profile refuses a ledger that does not cover exactly its day', () => {
    const spread = { ...created, servicePeriod: { start: DAY, end: '2026-11-25' } };
    expect(errorTexts(spread).join('\n')).toMatch(/pht-copay-day-1/);
    const otherDay = { ...created, servicePeriod: { start: '2026-11-25', end: '2026-11-25' } };
    expect(errorTexts(otherDay).join('\n')).toMatch(/pht-copay-day-2/);
    const negative = bumpedLedger(created, NURSE);
    negative.extension = negative.extension?.map((e) => (e.url.endsWith('/copay-ledger-revision') ? { ...e, valueInteger: -1 } : e));
    expect(errorTexts(negative).join('\n')).toMatch(/pht-copay-ledger-revision-1/);
  });
});

// ------------------------------------------------------------------------- Encounter and journal note

const CONTACT_KINDS: readonly ContactKind[] = ['simple', 'follow-up', 'about-patient', 'home-visit', 'group', 'meeting', 'team-consultation'];
const CHANNELS: readonly (ContactChannel | undefined)[] = [undefined, 'in-person', 'phone', 'video', 'written'];

function contactFacts(over: Partial<NurseContactFacts> = {}): NurseContactFacts {
  return {
    contactId: CONTACT_ID,
    patientId: PATIENT,
    practitionerId: NURSE_ID,
    kind: 'home-visit',
    start: `${DAY}T10:00:00+01:00`,
    ...over,
  };
}

describe('nurse contact Encounter (pht-nurse-contact)', () => {
  test.each(CONTACT_KINDS.flatMap((kind) => CHANNELS.map((channel) => [kind, channel ?? '(none)'] as const)))('%s by %s', (kind, channel) => {
    const facts = contactFacts({ kind, ...(channel === '(none)' ? {} : { channel }) });
    expectValid(buildNurseContact(facts, NURSE), 'pht-nurse-contact');
  });

  test('team consultation with the GP, end, minutes and the practice; recorded by a PractitionerRole user', () => {
    const facts = contactFacts({
      kind: 'team-consultation',
      otherPractitionerIds: [GP_ID],
      organizationId: ORG_ID,
      end: `${DAY}T10:25:00+01:00`,
      minutes: 25,
    });
    expectValid(buildNurseContact(facts, NURSE_ROLE), 'pht-nurse-contact');
  });

  test('a contact the GP registers (home visit, 11ad)', () => {
    expectValid(buildNurseContact(contactFacts({ practitionerId: GP_ID, minutes: 40 }), GP), 'pht-nurse-contact');
  });
});

describe('journal note DocumentReference (pht-contact-note)', () => {
  const text = 'Hjemmebesøk etter utskrivning. Blodsukker 7,2. Medisinliste gjennomgått; ærlig talt bra.';

  test('in the contact transaction (Encounter resolved from its urn:uuid)', () => {
    const note = buildContactNote(contactFacts({ end: `${DAY}T10:45:00+01:00` }), text, { reference: ENCOUNTER_URN }, NURSE, `${DAY}T09:50:00.000Z`);
    expectValid(afterTransaction(note, { [ENCOUNTER_URN]: 'Encounter/enc-visit-1' }), 'pht-contact-note');
  });

  test('for a stored contact, by a PractitionerRole user, without an end time', () => {
    const note = buildContactNote(contactFacts(), text, reference('Encounter', 'enc-visit-1'), NURSE_ROLE, `${DAY}T09:50:00.000Z`);
    expectValid(note, 'pht-contact-note');
  });
});

// ---------------------------------------------------------------------------------------- ChargeItem

describe('team charge ChargeItem (pht-team-charge)', () => {
  test.each(pilot2018Catalogue.tariffs.map((t) => [t.code, t.profession] as const))('every catalogue tariff: %s (%s)', (code, profession) => {
    const by = profession === 'gp' ? { practitionerId: GP_ID, enterer: GP } : {};
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
    const gpCharge = teamCharge('2ad', gpDecision, { contactId: 'c-gp', practitionerId: GP_ID, enterer: GP, occurrence: `${DAY}T08:30:00+01:00` });
    expectValid(storedCharge(gpCharge, 'charge-gp'), 'pht-team-charge');
    expectValid(storedCharge(teamCharge('S3', visitDecision)), 'pht-team-charge');
  });

  test('Volven 7461 exemptions: frikort (F) and a child under 16 (B); quantity 2 (S6)', () => {
    const [frikort] = allocateCopayments([{ id: 'x', at: `${DAY}T10:00:00+01:00`, egenandel: 100 }], { exemptions: [{ code: 'F', from: '2026-06-01' }] });
    const [child] = allocateCopayments([{ id: 'y', at: `${DAY}T10:00:00+01:00`, egenandel: 100 }], { birthDate: '2015-02-01' });
    if (!frikort || !child) throw new Error('no decisions');
    expect([frikort.reason, child.reason]).toEqual(['F', 'B']);
    expectValid(storedCharge(teamCharge('S2a', frikort)), 'pht-team-charge');
    expectValid(storedCharge(teamCharge('S1a', child, { patientId: CHILD })), 'pht-team-charge');
    expectValid(storedCharge(teamCharge('S6', { id: 'z', charged: 0, waived: 0 }, { quantity: 2 })), 'pht-team-charge');
  });

  test('after a co-payment decision (re-allocation): waived SAME_DAY, then charged again', () => {
    const bearer = storedCharge(teamCharge('S2a', { id: 'a', charged: 100, waived: 0 }));
    const waived = withCopayDecision(bearer, { id: 'a', charged: 0, waived: 100, reason: REASON_SAME_DAY });
    expectValid(waived, 'pht-team-charge');
    const back = withCopayDecision(stored(waived, 'charge-1', '2'), { id: 'a', charged: 100, waived: 0 });
    expectValid(back, 'pht-team-charge');
  });

  test('after cancel: aborted, CANCELLED, a note (with and without refund; by a Practitioner and a PractitionerRole)', () => {
    const item = storedCharge(teamCharge('S2a', { id: 'a', charged: 100, waived: 0 }));
    expectValid(cancelledCharge(item, NURSE, `${DAY}T12:00:00.000Z`, 100), 'pht-team-charge');
    expectValid(cancelledCharge(item, NURSE_ROLE, `${DAY}T12:00:00.000Z`), 'pht-team-charge');
  });

  test('after the claim mark (billed), then a re-allocation, then a cancel after the claim (aborted, mark kept)', () => {
    const item = storedCharge(teamCharge('S2a', { id: 'a', charged: 100, waived: 0 }));
    const claimed = withClaimMark(item, GP, '2026-11-30T14:00:00.000Z');
    expect(claimed.status).toBe('billed');
    expectValid(claimed, 'pht-team-charge');
    const byRole = withClaimMark(item, reference('PractitionerRole', 'role-lars'), '2026-11-30T14:00:00.000Z');
    expect(byRole.extension?.find((e) => e.url === MANAGER_EXTENSIONS.claimMarked)?.extension).toHaveLength(1);
    expectValid(byRole, 'pht-team-charge');
    const reallocated = withCopayDecision(stored(claimed, 'charge-1', '2'), { id: 'a', charged: 0, waived: 100, reason: REASON_SAME_DAY });
    expectValid(reallocated, 'pht-team-charge');
    const cancelled = cancelledCharge(stored(claimed, 'charge-1', '3'), GP, '2026-12-01T09:00:00.000Z', 100);
    expect(cancelled.status).toBe('aborted');
    expectValid(cancelled, 'pht-team-charge');
  });

  test('the profile refuses a claim mark on a charge that is still billable (pht-charge-2)', () => {
    const claimed = withClaimMark(storedCharge(teamCharge('S2a', { id: 'a', charged: 100, waived: 0 })), GP, '2026-11-30T14:00:00.000Z');
    expect(errorTexts({ ...claimed, status: 'billable' }).join('\n')).toMatch(/pht-charge-2/);
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

  test('without evidence', () => {
    expectValid(buildTargetGroupFlag({ patientId: PATIENT, group: 'chronic', confirmed: false, reasons: [], start: '2026-03-01' }), 'pht-target-group-flag');
  });
});

describe('assessment Procedures', () => {
  test.each([true, false])('medication review needed %s, with and without a note (pht-medication-review-need-assessment)', (needed) => {
    expectValid(buildMedicationReviewNeedAssessment({ patientId: PATIENT, recorder: GP, performed: `${DAY}T11:00:00+01:00`, needed }), 'pht-medication-review-need-assessment');
    expectValid(buildMedicationReviewNeedAssessment({ patientId: PATIENT, recorder: NURSE_ROLE, performed: DAY, needed, note: '11 faste legemidler.' }), 'pht-medication-review-need-assessment');
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
    // Read-only profiles; and profiles of what is the app's own data since issue 15 (its database): follow-up
    // tasks (server/features/follow-up), target-group and outreach assessments (server/features/target-groups;
    // the journal gets a note). Their profiles remain for what the EPJ already holds, which the mapper reads.
    const readOnly = ['pht-patient', 'pht-practitioner', 'pht-practitioner-role', 'pht-follow-up-task', 'pht-target-group-assessment', 'pht-outreach-assessment'].map((id) => `https://pht.example.org/fhir/StructureDefinition/${id}`);
    const writeProfiles = [...phtProfiles().values()].filter((sd) => sd.kind === 'resource' && !readOnly.includes(sd.url)).map((sd) => sd.url);
    expect(writeProfiles.length).toBeGreaterThanOrEqual(7);
    expect(writeProfiles.filter((url) => !produced.has(url))).toEqual([]);
  });
});
