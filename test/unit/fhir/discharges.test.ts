import type { Communication, DocumentReference, Encounter, Organization, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { detectDischarges, type DischargeContext } from '../../../src/fhir/discharges';

const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const LOINC = 'http://loinc.org';

const ctx: DischargeContext = { practiceOrgIds: ['practice'], today: '2026-11-25' };

const ahus: Organization = { resourceType: 'Organization', id: 'ahus', name: 'Akershus universitetssykehus HF' };

function encounter(overrides: Partial<Encounter> = {}): Encounter {
  return {
    resourceType: 'Encounter',
    id: 'enc-1',
    status: 'finished',
    class: { system: ACT, code: 'IMP' },
    subject: { reference: 'Patient/pat-1' },
    serviceProvider: { reference: 'Organization/ahus' },
    period: { start: '2026-11-16T10:00:00+01:00', end: '2026-11-20T14:00:00+01:00' },
    meta: { lastUpdated: '2026-11-20T15:00:00+01:00' },
    ...overrides,
  };
}

function epikrise(overrides: Partial<DocumentReference> = {}): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    id: 'doc-1',
    status: 'current',
    type: { coding: [{ system: LOINC, code: '18842-5', display: 'Discharge summary' }] },
    subject: { reference: 'Patient/pat-1' },
    custodian: { reference: 'Organization/ahus' },
    date: '2026-11-21T08:00:00+01:00',
    content: [{ attachment: { contentType: 'application/pdf', url: 'Binary/b1' } }],
    context: { period: { end: '2026-11-20T14:00:00+01:00' } },
    ...overrides,
  };
}

function notice(overrides: Partial<Communication> = {}): Communication {
  return {
    resourceType: 'Communication',
    id: 'com-1',
    status: 'completed',
    category: [{ coding: [{ code: 'epikrise' }] }],
    subject: { reference: 'Patient/pat-1' },
    sender: { reference: 'Organization/ahus' },
    sent: '2026-11-21T09:30:00+01:00',
    ...overrides,
  };
}

const detect = (resources: Resource[], extra: Partial<DischargeContext> = {}) => detectDischarges(resources, { ...ctx, ...extra });

describe('Encounter signals', () => {
  it('an inpatient stay at another organisation is a discharge with a deadline', () => {
    const { episodes, ignored } = detect([encounter(), ahus]);
    expect(ignored).toEqual([]);
    expect(episodes).toEqual([
      {
        key: 'pat-1|org:ahus|2026-11-20',
        patientId: 'pat-1',
        institution: { id: 'ahus', name: 'Akershus universitetssykehus HF' },
        dischargeDate: '2026-11-20',
        messageDate: '2026-11-20T15:00:00+01:00',
        effectiveDate: '2026-11-20',
        deadline: '2026-11-25',
        signals: [{ resourceType: 'Encounter', id: 'enc-1' }],
        warnings: [],
        errors: [],
      },
    ]);
  });

  it.each(['IMP', 'ACUTE', 'NONAC', 'OBSENC', 'SS'])('class %s is accepted with or without system', (code) => {
    expect(detect([encounter({ class: { system: ACT, code } })]).episodes).toHaveLength(1);
    expect(detect([encounter({ class: { code } })]).episodes).toHaveLength(1);
  });

  it.each([
    [{ class: { system: ACT, code: 'EMER' } }, 'Akuttmottak uten innleggelse (EMER) er ikke en utskrivning'],
    [{ class: { code: 'EMER' } }, 'Akuttmottak uten innleggelse (EMER) er ikke en utskrivning'],
    [{ class: { system: ACT, code: 'AMB' } }, 'Ikke en innleggelse (kontakttype AMB)'],
    [{ class: { system: 'urn:other', code: 'IMP' } }, 'Ukjent kontakttype (urn:other|IMP)'],
    [{ status: 'in-progress' as const }, 'Oppholdet er ikke avsluttet (status in-progress)'],
    [{ serviceProvider: { reference: 'Organization/practice' } }, 'Kontakt ved praksisen selv, ikke en utskrivning'],
  ])('%j is ignored: %s', (overrides, reason) => {
    const { episodes, ignored } = detect([encounter(overrides)]);
    expect(episodes).toEqual([]);
    expect(ignored).toEqual([{ resourceType: 'Encounter', id: 'enc-1', reason }]);
  });

  it('Oslo midnight: 23:30 UTC on 22 Nov is a discharge on Monday 23 Nov', () => {
    const { episodes } = detect([
      encounter({ period: { end: '2026-11-22T23:30:00Z' } }),
      epikrise({ context: { period: { end: '2026-11-23T00:30:00+01:00' } } }),
    ]);
    expect(episodes).toHaveLength(1);
    expect(episodes[0]).toMatchObject({ dischargeDate: '2026-11-23', deadline: '2026-11-26', key: 'pat-1|org:ahus|2026-11-23' });
    expect(detect([encounter({ period: { end: '2026-11-22T22:30:00Z' } })]).episodes[0]?.dischargeDate).toBe('2026-11-22');
    expect(detect([encounter({ period: { end: '2026-11-22T23:30:00' } })]).episodes[0]?.dischargeDate).toBe('2026-11-22');
  });
});

describe('DocumentReference and Communication signals', () => {
  it('an epikrise document alone is an episode with its context period end', () => {
    const { episodes } = detect([epikrise()]);
    expect(episodes).toEqual([
      expect.objectContaining({
        key: 'pat-1|org:ahus|2026-11-20',
        dischargeDate: '2026-11-20',
        messageDate: '2026-11-21T08:00:00+01:00',
        deadline: '2026-11-25',
        summaryRef: 'DocumentReference/doc-1',
        warnings: [],
      }),
    ]);
  });

  it('configured epikrise codes and the LOINC OID are accepted; other document types are not', () => {
    const local = { system: 'urn:oid:2.16.578.1.12.4.1.1.9602', code: 'J01-2' };
    expect(detect([epikrise({ type: { coding: [local] } })], { epikriseCodes: [local] }).episodes).toHaveLength(1);
    expect(detect([epikrise({ type: { coding: [{ system: 'urn:oid:2.16.840.1.113883.6.1', code: '18842-5' }] } })]).episodes).toHaveLength(1);
    expect(detect([epikrise({ type: { coding: [{ system: LOINC, code: '11506-3' }] } })]).ignored).toEqual([
      { resourceType: 'DocumentReference', id: 'doc-1', reason: 'Ikke en epikrise (dokumenttype)' },
    ]);
    expect(detect([epikrise({ status: 'entered-in-error' })]).episodes).toEqual([]);
  });

  it.each([
    [[{ coding: [{ code: 'epikrise' }] }]],
    [[{ coding: [{ system: 'urn:any', code: ' Discharge-Notice ' }] }]],
    [[{ coding: [{ system: LOINC, code: '18842-5' }] }]],
    [[{ text: 'x' }, { coding: [{ code: 'EPIKRISE' }] }]],
  ])('Communication category %j is accepted', (category) => {
    expect(detect([notice({ category })]).episodes).toHaveLength(1);
  });

  it('other Communications are ignored', () => {
    expect(detect([notice({ category: [{ coding: [{ code: 'notification' }] }] })]).ignored[0]?.reason).toBe(
      'Ikke en epikrise eller utskrivningsmelding (kategori)',
    );
    expect(detect([notice({ status: 'entered-in-error' })]).episodes).toEqual([]);
  });
});

describe('merging', () => {
  it('all three shapes of one discharge become one episode', () => {
    const { episodes } = detect([notice(), epikrise(), encounter(), ahus]);
    expect(episodes).toHaveLength(1);
    expect(episodes[0]).toMatchObject({
      key: 'pat-1|org:ahus|2026-11-20',
      institution: { id: 'ahus', name: 'Akershus universitetssykehus HF' },
      dischargeDate: '2026-11-20',
      messageDate: '2026-11-20T15:00:00+01:00',
      deadline: '2026-11-25',
      summaryRef: 'DocumentReference/doc-1',
      signals: [
        { resourceType: 'Encounter', id: 'enc-1' },
        { resourceType: 'DocumentReference', id: 'doc-1' },
        { resourceType: 'Communication', id: 'com-1' },
      ],
      warnings: [],
      errors: [],
    });
  });

  it('the result does not depend on input order', () => {
    const resources = [notice(), epikrise({ custodian: undefined }), encounter(), encounter({ id: 'enc-2', period: { end: '2026-11-10' } }), ahus];
    const a = detect(resources);
    const b = detect([...resources].reverse());
    expect(b).toEqual(a);
    expect(a.episodes.map((e) => e.key)).toEqual(['pat-1|org:ahus|2026-11-10', 'pat-1|org:ahus|2026-11-20']);
  });

  it('the same resource twice, and two encounters of one stay, merge', () => {
    const { episodes } = detect([encounter(), encounter(), encounter({ id: 'enc-ward', period: { end: '2026-11-20T09:00:00+01:00' } })]);
    expect(episodes).toHaveLength(1);
    expect(episodes[0]?.signals).toEqual([
      { resourceType: 'Encounter', id: 'enc-1' },
      { resourceType: 'Encounter', id: 'enc-ward' },
    ]);
  });

  it('an institution given by name only merges with the one identified by id', () => {
    const doc = epikrise({ custodian: undefined, author: [{ display: 'Akershus  Universitetssykehus HF.' }] });
    const { episodes } = detect([doc, encounter(), ahus]);
    expect(episodes).toHaveLength(1);
    expect(episodes[0]?.key).toBe('pat-1|org:ahus|2026-11-20');
  });

  it('institution by name alone is the key when nothing better exists', () => {
    const doc = epikrise({ custodian: { display: 'Sunnaas sykehus' } });
    expect(detect([doc]).episodes[0]).toMatchObject({ key: 'pat-1|name:sunnaas sykehus|2026-11-20', institution: { name: 'Sunnaas sykehus' } });
  });

  it('explicit links join even across senders; a document without a date takes the encounter date', () => {
    const doc = epikrise({ custodian: undefined, context: { encounter: [{ reference: 'Encounter/enc-1' }] } });
    const com = notice({ sender: { reference: 'Practitioner/dr-x' }, payload: [{ contentReference: { reference: 'DocumentReference/doc-1' } }] });
    const { episodes } = detect([encounter(), doc, com]);
    expect(episodes).toHaveLength(1);
    expect(episodes[0]).toMatchObject({ dischargeDate: '2026-11-20', summaryRef: 'DocumentReference/doc-1', warnings: [] });
  });

  it('linked signals that disagree on the date keep the encounter date and warn', () => {
    const doc = epikrise({ context: { encounter: [{ reference: 'Encounter/enc-1' }], period: { end: '2026-11-19' } } });
    const [episode] = detect([encounter(), doc]).episodes;
    expect(episode?.dischargeDate).toBe('2026-11-20');
    expect(episode?.warnings).toEqual(['Meldingene oppgir ulike utskrivningsdatoer (19.11.2026, 20.11.2026); brukt 20.11.2026']);
  });

  it('different institutions or dates stay apart; so do different patients', () => {
    const { episodes } = detect([
      encounter(),
      encounter({ id: 'enc-2', serviceProvider: { reference: 'Organization/ous' } }),
      encounter({ id: 'enc-3', period: { end: '2026-11-18T10:00:00+01:00' } }),
      encounter({ id: 'enc-4', subject: { reference: 'Patient/pat-2' } }),
    ]);
    expect(episodes.map((e) => e.key)).toEqual([
      'pat-1|org:ahus|2026-11-18',
      'pat-1|org:ahus|2026-11-20',
      'pat-1|org:ous|2026-11-20',
      'pat-2|org:ahus|2026-11-20',
    ]);
  });

  it('a dateless notice joins the latest discharge of that patient and institution within 30 days', () => {
    const { episodes } = detect([
      encounter({ id: 'enc-old', period: { end: '2026-11-02' } }),
      encounter(),
      notice({ sent: '2026-11-24T10:00:00+01:00' }),
    ]);
    expect(episodes).toHaveLength(2);
    expect(episodes.find((e) => e.dischargeDate === '2026-11-20')?.signals).toHaveLength(2);
  });

  it('a dateless notice from another institution does not join', () => {
    const { episodes } = detect([encounter(), notice({ sender: { reference: 'Organization/ous' } })]);
    expect(episodes).toHaveLength(2);
  });

  it('a dateless notice without institution joins only an unambiguous discharge', () => {
    const anonymous = notice({ sender: undefined });
    expect(detect([encounter(), anonymous]).episodes).toHaveLength(1);
    const two = detect([encounter(), encounter({ id: 'enc-2', serviceProvider: { reference: 'Organization/ous' } }), anonymous]);
    expect(two.episodes).toHaveLength(3);
  });
});

describe('missing, future and invalid data', () => {
  it('a missing discharge date warns and counts from the message date', () => {
    const { episodes } = detect([epikrise({ context: undefined })]);
    expect(episodes).toEqual([
      expect.objectContaining({
        key: 'pat-1|org:ahus|?2026-11-21',
        messageDate: '2026-11-21T08:00:00+01:00',
        effectiveDate: '2026-11-21', // a Saturday: Mon 23, Tue 24, Wed 25
        deadline: '2026-11-25',
        warnings: ['utskrivningsdato mangler: dato fra meldingen (21.11.2026) er brukt, og fristen må bekreftes'],
        errors: [],
      }),
    ]);
    expect(episodes[0]?.dischargeDate).toBeUndefined();
  });

  it('an unreadable date warns and falls back the same way', () => {
    const [episode] = detect([encounter({ period: { end: '2026-13-01' } })]).episodes;
    expect(episode?.warnings).toEqual([
      'Ugyldig utskrivningsdato «2026-13-01»',
      'utskrivningsdato mangler: dato fra meldingen (20.11.2026) er brukt, og fristen må bekreftes',
    ]);
    expect(episode?.deadline).toBe('2026-11-25');
  });

  it('no discharge date and no message date is an error without deadline', () => {
    const [episode] = detect([epikrise({ context: undefined, date: undefined })]).episodes;
    expect(episode?.errors).toEqual(['utskrivningsdato mangler, og meldingsdato mangler: fristen kan ikke beregnes']);
    expect(episode?.deadline).toBeUndefined();
  });

  it('a discharge in the future is refused', () => {
    const [episode] = detect([encounter({ period: { end: '2026-11-26T08:00:00+01:00' } })]).episodes;
    expect(episode?.errors).toEqual(['utskrivningsdato i fremtiden (26.11.2026)']);
    expect(episode?.deadline).toBeUndefined();
    expect(detect([encounter({ period: { end: '2026-11-25T08:00:00+01:00' } })]).episodes[0]?.errors).toEqual([]);
  });

  it.each([
    [notice({ subject: undefined }), '?Communication/com-1|org:ahus|?2026-11-21', 'Pasient mangler i meldingen'],
    [notice({ subject: { identifier: { system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '01010112345' } } }), '?Communication/com-1|org:ahus|?2026-11-21', 'Pasienten kan ikke identifiseres (01010112345)'],
    [encounter({ subject: { reference: 'Group/g1' } }), '?Group/g1|org:ahus|2026-11-20', 'Meldingen gjelder ikke en pasient (Group/g1)'],
  ])('a missing or unresolvable subject is an error row, not dropped (%#)', (resource, key, error) => {
    const [episode] = detect([resource]).episodes;
    expect(episode).toMatchObject({ key, errors: [error] });
    expect(episode?.patientId).toBeUndefined();
  });

  it('a patient outside the practice is an error when the known patients are given', () => {
    const known = new Set(['pat-2']);
    const [episode] = detect([encounter()], { knownPatientIds: known }).episodes;
    expect(episode).toMatchObject({ key: '?Patient/pat-1|org:ahus|2026-11-20', errors: ['Pasienten finnes ikke i praksisen (Patient/pat-1)'] });
    expect(detect([encounter()], { knownPatientIds: new Set(['pat-1']) }).episodes[0]?.errors).toEqual([]);
  });

  it('two messages without patient never merge with each other', () => {
    const { episodes } = detect([notice({ subject: undefined }), notice({ id: 'com-2', subject: undefined })]);
    expect(episodes).toHaveLength(2);
  });

  it('an unknown institution is a warning', () => {
    const [episode] = detect([encounter({ serviceProvider: undefined })]).episodes;
    expect(episode).toMatchObject({ key: 'pat-1||2026-11-20', warnings: ['Institusjonen er ukjent'], institution: {} });
  });

  it('a date outside the holiday table is an error, not a crash', () => {
    const [episode] = detect([encounter({ period: { end: '1998-05-02' } })]).episodes;
    expect(episode?.errors).toEqual(['Fristen kan ikke beregnes for 02.05.1998']);
  });

  it('the practice calendar moves the deadline', () => {
    const [episode] = detect([encounter({ period: { end: '2026-12-23T10:00:00+01:00' } })], {
      today: '2026-12-23',
      calendar: { closedDates: ['2026-12-24'] },
    }).episodes;
    expect(episode?.deadline).toBe('2026-12-30');
  });

  it('other resources are listed as ignored; Organization and Patient are context', () => {
    const { ignored } = detect([
      { resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'x' } },
      { resourceType: 'Patient', id: 'pat-1' },
      ahus,
    ]);
    expect(ignored).toEqual([{ resourceType: 'Observation', id: 'o1', reason: 'Ikke et utskrivningssignal' }]);
  });

  it('rejects an invalid today', () => {
    expect(() => detect([], { today: '2026-11-31' })).toThrow(RangeError);
  });
});

describe('withoutDeadline (the patient-facts mapper reads only the dates)', () => {
  it('leaves the deadline out and keeps the rest of the episode', () => {
    const [episode] = detect([encounter(), ahus], { withoutDeadline: true }).episodes;
    expect(episode).toEqual({
      key: 'pat-1|org:ahus|2026-11-20',
      patientId: 'pat-1',
      institution: { id: 'ahus', name: 'Akershus universitetssykehus HF' },
      dischargeDate: '2026-11-20',
      messageDate: '2026-11-20T15:00:00+01:00',
      effectiveDate: '2026-11-20',
      signals: [{ resourceType: 'Encounter', id: 'enc-1' }],
      warnings: [],
      errors: [],
    });
  });

  it('so a discharge outside the holiday table (2000-2100) is no error', () => {
    const old = encounter({ period: { start: '1999-06-01T10:00:00+02:00', end: '1999-06-03T10:00:00+02:00' } });
    expect(detect([old, ahus]).episodes[0]?.errors).toEqual(['Fristen kan ikke beregnes for 03.06.1999']);
    expect(detect([old, ahus], { withoutDeadline: true }).episodes[0]?.errors).toEqual([]);
  });
});
