// Builders of the write path (SPEC §5, §6, §8): profile stamping, identifiers, extensions.
import { describe, expect, test } from 'vitest';
import { buildCopayDayAccount, bumpedLedger, ledgerRevision, paidElsewhereAnswer } from '../../../src/fhir/builders/account';
import { buildTeamCharge, cancelledCharge, chargeIdFor, withCopayDecision } from '../../../src/fhir/builders/charge';
import { ifNoneExistIdentifier, profileMeta, reference, userReference } from '../../../src/fhir/builders/common';
import { buildContactNote, buildNurseContact, encounterClassFor } from '../../../src/fhir/builders/contact';
import { readTeamCharge } from '../../../src/fhir/charges';
import { COPAY_SYSTEMS } from '../../../src/fhir/chargesSystems';
import { EXTENSIONS, PHT_CANONICAL, SYSTEMS } from '../../../src/fhir/systems';
import { pilot2018Catalogue, priceLines } from '../../../src/domain/tariffs';
import type { CopayDecision } from '../../../src/domain/copay';

const NURSE = reference('Practitioner', 'nurse-1');
const [S2A] = priceLines([{ code: 'S2a', quantity: 1 }], pilot2018Catalogue, '2026-03-10').lines;
const [S6] = priceLines([{ code: 'S6', quantity: 2 }], pilot2018Catalogue, '2026-03-10').lines;

function charge(decision: CopayDecision = { id: 'c-1:S2a', charged: 100, waived: 0 }, line = S2A!) {
  return buildTeamCharge({
    contactId: 'c-1',
    patientId: 'pat-1',
    encounter: { reference: 'urn:uuid:e' },
    account: reference('Account', 'acc-1'),
    line,
    practitionerId: 'nurse-1',
    occurrence: '2026-03-10T09:00:00+01:00',
    enterer: NURSE,
    enteredDate: '2026-03-10T08:10:00.000Z',
    decision,
  });
}

describe('common', () => {
  test('profileMeta puts our profile first and keeps the rest', () => {
    expect(profileMeta('pht-team-charge', { versionId: '3', profile: ['x', `${PHT_CANONICAL}/StructureDefinition/pht-team-charge`] })).toEqual({
      versionId: '3',
      profile: [`${PHT_CANONICAL}/StructureDefinition/pht-team-charge`, 'x'],
    });
  });
  test.each([
    ['Practitioner/nurse-1', 'Practitioner/nurse-1'],
    ['http://epj/fhir/PractitionerRole/r-1', 'PractitionerRole/r-1'],
    ['Patient/p-1', undefined],
    [undefined, undefined],
  ])('userReference(%s)', (fhirUser, expected) => {
    expect(userReference(fhirUser)?.reference).toBe(expected);
  });
  test('reference refuses an id with a slash; ifNoneExist encodes the token', () => {
    expect(() => reference('Patient', 'a/b')).toThrow(TypeError);
    expect(ifNoneExistIdentifier('urn:x', 'a:b')).toBe('identifier=urn%3Ax%7Ca%3Ab');
  });
});

describe('buildNurseContact', () => {
  test.each([
    ['home-visit', 'phone', 'HH'],
    ['follow-up', 'video', 'VR'],
    ['simple', 'written', 'VR'],
    ['follow-up', undefined, 'AMB'],
  ] as const)('%s by %s is class %s', (kind, channel, code) => {
    expect(encounterClassFor({ kind, channel })).toBe(code);
  });
  test('profile, identifier, kind, subject, participants, period, length, recorded-by', () => {
    const e = buildNurseContact(
      { contactId: 'c-1', patientId: 'pat-1', practitionerId: 'nurse-1', otherPractitionerIds: ['gp-1'], organizationId: 'org-1', kind: 'team-consultation', start: '2026-03-10T09:00:00+01:00', minutes: 25 },
      NURSE,
    );
    expect(e).toMatchObject({
      meta: { profile: [`${PHT_CANONICAL}/StructureDefinition/pht-nurse-contact`] },
      identifier: [{ system: SYSTEMS.contactId, value: 'c-1' }],
      status: 'finished',
      class: { code: 'AMB' },
      type: [{ coding: [{ system: SYSTEMS.contactKind, code: 'team-consultation' }] }],
      subject: { reference: 'Patient/pat-1' },
      participant: [{ individual: { reference: 'Practitioner/nurse-1' } }, { individual: { reference: 'Practitioner/gp-1' } }],
      period: { start: '2026-03-10T09:00:00+01:00' },
      length: { value: 25, code: 'min' },
      serviceProvider: { reference: 'Organization/org-1' },
      extension: [{ url: EXTENSIONS.recordedBy, valueReference: { reference: 'Practitioner/nurse-1' } }],
    });
  });
  test('the journal note is a DocumentReference keyed by the contactId, UTF-8 text in base64', () => {
    const note = buildContactNote({ contactId: 'c-1', patientId: 'pat-1', start: '2026-03-10T09:00:00+01:00' }, 'Blodtrykk målt: 135/85. Ærlig talt bra.', { reference: 'urn:uuid:e' }, NURSE, '2026-03-10T09:30:00Z');
    expect(note.identifier).toEqual([{ system: COPAY_SYSTEMS.contactNoteId, value: 'c-1' }]);
    expect(note.context?.encounter).toEqual([{ reference: 'urn:uuid:e' }]);
    expect(Buffer.from(note.content[0]?.attachment.data ?? '', 'base64').toString('utf8')).toBe('Blodtrykk målt: 135/85. Ærlig talt bra.');
  });
});

describe('buildTeamCharge', () => {
  test('a bearer: deterministic chargeId, tariff code, performer SP, honorar, egenandel charged and tariff, no waiver', () => {
    const c = charge();
    expect(c).toMatchObject({
      meta: { profile: [`${PHT_CANONICAL}/StructureDefinition/pht-team-charge`] },
      identifier: [{ system: SYSTEMS.chargeId, value: chargeIdFor('c-1', 'S2a') }],
      status: 'billable',
      code: { coding: [{ system: SYSTEMS.tariff, code: 'S2a' }] },
      context: { reference: 'urn:uuid:e' },
      occurrenceDateTime: '2026-03-10T09:00:00+01:00',
      performer: [{ function: { coding: [{ system: SYSTEMS.healthPersonnelCategory, code: 'SP' }] }, actor: { reference: 'Practitioner/nurse-1' } }],
      enterer: { reference: 'Practitioner/nurse-1' },
      quantity: { value: 1 },
      priceOverride: { value: 152, currency: 'NOK' },
      account: [{ reference: 'Account/acc-1' }],
    });
    expect(c.extension).toEqual([
      { url: EXTENSIONS.egenandel, extension: [{ url: 'charged', valueMoney: { value: 100, currency: 'NOK' } }, { url: 'tariff', valueMoney: { value: 100, currency: 'NOK' } }] },
    ]);
  });
  test('quantity 2 prices the line; SAME_DAY uses our code system and the Norwegian label', () => {
    const c = charge({ id: 'c-1:S6', charged: 0, waived: 0, reason: 'SAME_DAY' }, S6);
    expect(c.quantity).toEqual({ value: 2 });
    expect(c.priceOverride?.value).toBe(304);
    expect(c.extension?.[1]).toEqual({
      url: EXTENSIONS.egenandelWaiverReason,
      valueCodeableConcept: { coding: [{ system: COPAY_SYSTEMS.copayReason, code: 'SAME_DAY', display: 'Egenandel allerede betalt i dag (teamet)' }], text: 'Egenandel allerede betalt i dag (teamet)' },
    });
  });
  test('a Volven 7461 exemption uses the Volven system', () => {
    const c = charge({ id: 'c-1:S2a', charged: 0, waived: 100, reason: 'F' });
    expect(c.extension?.[1]?.valueCodeableConcept?.coding?.[0]).toMatchObject({ system: SYSTEMS.copayExemption, code: 'F', display: 'Frikort' });
  });
  test('withCopayDecision swaps charged and reason, keeps tariff; round-trips through the mapper', () => {
    const waived = withCopayDecision({ ...charge(), id: 'x', meta: { versionId: '2' } }, { id: 'c-1:S2a', charged: 0, waived: 100, reason: 'SAME_DAY' });
    expect(readTeamCharge(waived).charge).toMatchObject({ id: 'c-1:S2a', charged: 0, tariffEgenandel: 100, waiverReason: 'SAME_DAY', versionId: '2' });
    const back = withCopayDecision(waived, { id: 'c-1:S2a', charged: 100, waived: 0 });
    expect(back.extension?.some((e) => e.url === EXTENSIONS.egenandelWaiverReason)).toBe(false);
    expect(readTeamCharge(back).charge).toMatchObject({ charged: 100, tariffEgenandel: 100 });
  });
  test('cancelledCharge: aborted, CANCELLED, a note with the refund', () => {
    const c = cancelledCharge(charge(), NURSE, '2026-03-10T12:00:00Z', 100);
    expect(c.status).toBe('aborted');
    expect(readTeamCharge(c).charge).toMatchObject({ cancelled: true, charged: 0, waiverReason: 'CANCELLED' });
    expect(c.note?.[0]).toMatchObject({ authorReference: { reference: 'Practitioner/nurse-1' }, text: 'Kansellert. Egenandel kr 100 skal betales tilbake til pasienten.' });
  });
});

describe('the day ledger Account', () => {
  test('identifier, subject, the day, revision bumps on every write, the nurse answer', () => {
    const a = buildCopayDayAccount('pat-1', '2026-03-10', NURSE);
    expect(a).toMatchObject({
      meta: { profile: [`${PHT_CANONICAL}/StructureDefinition/pht-copay-day`] },
      identifier: [{ system: COPAY_SYSTEMS.copayDay, value: 'pat-1:2026-03-10' }],
      subject: [{ reference: 'Patient/pat-1' }],
      servicePeriod: { start: '2026-03-10', end: '2026-03-10' },
    });
    const once = bumpedLedger(a, reference('Practitioner', 'gp-1'));
    const twice = bumpedLedger(once, NURSE, true);
    expect([ledgerRevision(a), ledgerRevision(once), ledgerRevision(twice)]).toEqual([0, 1, 2]);
    expect([paidElsewhereAnswer(once), paidElsewhereAnswer(twice)]).toEqual([undefined, true]);
    expect(twice.extension?.filter((e) => e.url === EXTENSIONS.recordedBy)).toEqual([{ url: EXTENSIONS.recordedBy, valueReference: NURSE }]);
  });
});
