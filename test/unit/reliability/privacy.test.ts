// Address protection (SPEC §8): a patient with fortrolig / strengt fortrolig adresse never has the
// address shown or exported. Checked against the sandbox seed's own representation as well.
import { describe, expect, test } from 'vitest';
import type { Patient } from '@medplum/fhirtypes';
import {
  addressForDisplay,
  addressProtectionOf,
  isAddressProtected,
  PROTECTED_ADDRESS_TEXT,
  safeAddress,
} from '../../../src/fhir/privacy';
import { EXTENSIONS } from '../../../src/fhir/systems';
import { generatePractice } from '../../../sandbox/seed';

const HOME = { use: 'home' as const, line: ['Sannergata 12'], postalCode: '0557', city: 'Oslo' };

function patient(overrides: Partial<Patient> = {}): Patient {
  return { resourceType: 'Patient', id: 'p', address: [HOME], ...overrides };
}

const protectedBy = (valueCode: string): Patient => patient({ extension: [{ url: EXTENSIONS.addressProtection, valueCode }] });

describe('addressProtectionOf / isAddressProtected', () => {
  test.each([
    ['no marker', patient(), undefined],
    ['fortrolig (our extension)', protectedBy('fortrolig'), 'fortrolig'],
    ['strengt fortrolig (our extension)', protectedBy('strengt-fortrolig'), 'strengt-fortrolig'],
    ['unknown code: fails closed', protectedBy('hemmelig'), 'ukjent'],
    ['valueString instead of valueCode: fails closed', patient({ extension: [{ url: EXTENSIONS.addressProtection, valueString: 'fortrolig' }] }), 'ukjent'],
    ['another canonical for the same extension', patient({ extension: [{ url: 'http://hl7.no/fhir/StructureDefinition/address-protection', valueCode: 'fortrolig' }] }), 'fortrolig'],
    ['marker on the address itself', patient({ address: [{ ...HOME, extension: [{ url: EXTENSIONS.addressProtection, valueCode: 'strengt-fortrolig' }] }] }), 'strengt-fortrolig'],
    ['meta.security R', patient({ meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] } }), 'fortrolig'],
    ['meta.security V', patient({ meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'V' }] } }), 'strengt-fortrolig'],
    ['meta.security N (normal) is no protection', patient({ meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N' }] } }), undefined],
  ])('%s', (_name, p, expected) => {
    expect(addressProtectionOf(p)).toBe(expected);
    expect(isAddressProtected(p)).toBe(expected !== undefined);
  });

  test('never throws on malformed input', () => {
    for (const bad of [undefined, null, 42, 'Patient', [], { extension: 'x' }, { extension: [null, 3, { url: 5 }] }, { meta: { security: 'R' } }]) {
      expect(() => isAddressProtected(bad)).not.toThrow();
    }
  });
});

describe('safeAddress, addressForDisplay', () => {
  test('an unprotected patient: the current home address', () => {
    const p = patient({ address: [{ use: 'old', line: ['Gammelveien 1'], city: 'Bergen' }, HOME] });
    expect(safeAddress(p)).toEqual({ kind: 'address', address: HOME, text: 'Sannergata 12, 0557 Oslo' });
    expect(addressForDisplay(p)).toBe('Sannergata 12, 0557 Oslo');
  });

  test.each(['fortrolig', 'strengt-fortrolig'])('%s: nothing of the address in view or export', (level) => {
    const p = protectedBy(level);
    expect(safeAddress(p)).toEqual({ kind: 'protected' });
    expect(addressForDisplay(p)).toBe(PROTECTED_ADDRESS_TEXT);
  });

  test('no address at all', () => {
    expect(safeAddress(patient({ address: undefined }))).toEqual({ kind: 'none' });
    expect(addressForDisplay(patient({ address: [] }))).toBeUndefined();
  });
});

describe('the sandbox seed', () => {
  test('its protected patients (every 400th; some strengt fortrolig) are recognised, and no address leaks', () => {
    const { resources } = generatePractice({ patients: 1700, seed: 1, asOf: '2026-03-10' });
    const patients = resources.filter((r): r is Patient => r.resourceType === 'Patient');
    const prot = patients.filter(isAddressProtected);
    const levels = new Set(prot.map(addressProtectionOf));
    expect(prot.length).toBeGreaterThanOrEqual(4);
    expect(levels).toEqual(new Set(['fortrolig', 'strengt-fortrolig']));
    for (const p of prot) {
      const street = p.address?.[0]?.line?.[0] ?? '';
      expect(street).not.toBe('');
        expect(JSON.stringify(safeAddress(p))).not.toContain(street);
    }
    const open = patients.find((p) => !isAddressProtected(p));
    expect(safeAddress(open).kind).toBe('address');
  });
});
