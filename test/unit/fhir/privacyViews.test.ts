// Issue 12 item 1: every view model that carries an address gets it from src/fhir/privacy.ts, so each
// way of marking protection (meta.security R and V, our extension on the Patient, the extension on the
// address itself) keeps the address out of the list overview's rows (and so its CSV) and the worklist's
// and inbox's patient display, while an unprotected patient's address is still there.
import { describe, expect, test } from 'vitest';
import type { Patient } from '@medplum/fhirtypes';
import type { PopulationRow } from '../../../src/domain/targetGroups/views';
import { listCsv } from '../../../src/features/list-overview/csv';
import { toPatientDisplay } from '../../../src/fhir/followUpsPatients';
import { EXTENSIONS } from '../../../src/fhir/systems';
import { patientDisplay } from '../../../server/features/target-groups/scan';

const CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const STREET = 'Skjermveien 7';
const ADDRESS_TEXT = 'Skjermveien 7, 0150 Oslo';
const HOME = { use: 'home' as const, line: [STREET], postalCode: '0150', city: 'Oslo' };

function patient(marks: Partial<Patient> = {}, address = HOME): Patient & { id: string } {
  return { resourceType: 'Patient', id: 'p1', name: [{ given: ['Kari'], family: 'Nordmann' }], address: [address], ...marks };
}

const PROTECTED: [string, Patient & { id: string }][] = [
  ['meta.security R', patient({ meta: { security: [{ system: CONFIDENTIALITY, code: 'R' }] } })],
  ['meta.security V', patient({ meta: { security: [{ system: CONFIDENTIALITY, code: 'V' }] } })],
  ['our extension, fortrolig', patient({ extension: [{ url: EXTENSIONS.addressProtection, valueCode: 'fortrolig' }] })],
  ['our extension, strengt fortrolig', patient({ extension: [{ url: EXTENSIONS.addressProtection, valueCode: 'strengt-fortrolig' }] })],
  ['marker on the address', patient({}, { ...HOME, extension: [{ url: EXTENSIONS.addressProtection, valueCode: 'strengt-fortrolig' }] } as typeof HOME)],
];

// The list overview's row as the app server stores it (server/features/target-groups/scan.ts patientDisplay).
const row = (p: Patient): PopulationRow => ({
  patientId: p.id ?? '',
  inTargetGroup: false,
  groups: [],
  weakDemander: false,
  needsMedicationReview: false,
  needsCarePlan: false,
  reasons: [],
  issueCount: 0,
  ...patientDisplay(p, '2026-03-10'),
});

describe('list overview row and its CSV', () => {
  test('an unprotected patient: the address is in the row and the CSV', () => {
    expect(row(patient())).toMatchObject({ addressProtected: false, address: ADDRESS_TEXT });
    expect(listCsv([row(patient())], { clinical: true })).toContain(ADDRESS_TEXT);
  });

  test.each(PROTECTED)('%s: no address in the row or the CSV', (_name, p) => {
    const r = row(p);
    expect(r.addressProtected).toBe(true);
    expect(r.address).toBeUndefined();
    expect(listCsv([r], { clinical: true })).not.toContain(STREET);
  });
});

describe('worklist and inbox patient display', () => {
  test('an unprotected patient: the address', () => {
    expect(toPatientDisplay(patient()).address).toBe(ADDRESS_TEXT);
  });

  test.each(PROTECTED)('%s: «Adressen er skjermet», never the address', (_name, p) => {
    const display = toPatientDisplay(p);
    expect(display.address).toBe('Adressen er skjermet');
    expect(JSON.stringify(display)).not.toContain(STREET);
  });
});
