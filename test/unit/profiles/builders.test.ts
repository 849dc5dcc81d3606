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
import { buildTeamChargeItem } from '../../../server/features/contact-copay/chargeItem';
import { chargeIdFor } from '../../../server/features/contact-copay/store';
import { profileUrl, type PhtProfileId } from '../../../src/fhir/builders/common';
import { buildTargetGroupFlag } from '../../../src/fhir/builders/flag';
import {
  assertValidAgainstProfiles,
  phtProfiles,
  readGeneratedResources,
} from './validator.ts';

// ------------------------------------------------------------------------------------------- fixtures

const PATIENT = 'pat-kari';
const NURSE_ID = 'nurse-siri';
const GP_ID = 'gp-lars';

const DAY = '2026-11-24'; // Tuesday
const CONTACT_ID = 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e06';

/** Write profiles seen in this file, for the coverage test at the end. */
const produced = new Set<string>();

/** Validates a builder's output: it claims `profile` and has no error against core and that profile. */
function expectValid(resource: Resource, profile: PhtProfileId): void {
  // The canonical of fhir-profiles/sushi-config.yaml, written out: a wrong base in profileUrl must fail here.
  expect(resource.meta?.profile?.[0]).toBe(`https://pht.example.org/fhir/StructureDefinition/${profile}`);
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

  test('without evidence', () => {
    expectValid(buildTargetGroupFlag({ patientId: PATIENT, group: 'chronic', confirmed: false, reasons: [], start: '2026-03-01' }), 'pht-target-group-flag');
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
    // tasks (server/features/follow-up), target-group and outreach assessments (server/features/target-groups),
    // the contact Encounter, its note and the day's ledger Account (server/features/contact-copay); the journal
    // gets a note (server/epj/journalNote.ts). The assessment profiles remain for what the EPJ already holds;
    // the medication-review-need assessment is the care slice's since issue 17 (server/features/care).
    const retired = ['pht-follow-up-task', 'pht-target-group-assessment', 'pht-outreach-assessment', 'pht-medication-review-need-assessment', 'pht-nurse-contact', 'pht-contact-note', 'pht-copay-day'];
    const readOnly = ['pht-patient', 'pht-practitioner', 'pht-practitioner-role', ...retired].map((id) => `https://pht.example.org/fhir/StructureDefinition/${id}`);
    const writeProfiles = [...phtProfiles().values()].filter((sd) => sd.kind === 'resource' && !readOnly.includes(sd.url)).map((sd) => sd.url);
    expect(writeProfiles.length).toBeGreaterThanOrEqual(3);
    expect(writeProfiles.filter((url) => !produced.has(url))).toEqual([]);
  });
});
