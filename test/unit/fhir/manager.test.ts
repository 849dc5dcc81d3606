// The manager's FHIR edge: PractitionerRole -> StaffMember, the population, the tariff norms. (Charges and
// claims are the app's own now: test/integration/db-contact-copay.test.ts.)
import type { Patient, Practitioner, PractitionerRole, Resource } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { defaultCatalogues } from '../../../src/domain/tariffs';
import { tariffNorms } from '../../../src/fhir/manager';
import { groupByPatient, toPopulation } from '../../../src/fhir/managerPopulation';
import { toStaffMembers } from '../../../src/fhir/managerStaff';
import { MANAGER_SYSTEMS } from '../../../src/fhir/managerSystems';
import { EXTENSIONS, SYSTEMS } from '../../../src/fhir/systems';

describe('toStaffMembers', () => {
  const practitioner = (id: string, qualification?: Practitioner['qualification']): Practitioner => ({ resourceType: 'Practitioner', id, name: [{ given: ['Ane'], family: id }], ...(qualification ? { qualification } : {}) });
  const role = (id: string, code: string, percent?: number, active = true): PractitionerRole => ({
    resourceType: 'PractitionerRole',
    id: `role-${id}`,
    active,
    practitioner: { reference: `Practitioner/${id}` },
    code: [{ coding: [{ system: SYSTEMS.healthPersonnelCategory, code }] }],
    ...(percent === undefined ? {} : { extension: [{ url: EXTENSIONS.positionPercent, valueDecimal: percent }] }),
  });
  test('role, position, specialisation valid on the date; missing or invalid position is 100 % with a warning', () => {
    const spec = [{ code: { coding: [{ system: MANAGER_SYSTEMS.specialty, code: '1' }] }, period: { start: '2020-01-01' } }];
    const expired = [{ code: { coding: [{ system: MANAGER_SYSTEMS.specialty, code: '1' }] }, period: { end: '2025-12-31' } }];
    const read = toStaffMembers(
      [practitioner('a', spec), practitioner('b'), practitioner('c', expired), practitioner('d'), practitioner('e')],
      [role('a', 'LE', 80), role('b', 'SP'), role('c', 'SP', 150), role('d', 'HE', 50, false), role('e', 'XX', 50)],
      '2026-03-31',
    );
    expect(read.staff.map((s) => [s.id, s.role, s.positionPercent, s.specialised])).toEqual([
      ['a', 'gp', 80, true],
      ['b', 'nurse', 100, false],
      ['c', 'nurse', 100, false],
    ]);
    expect(read.issues.map((i) => i.id)).toEqual(['role-b', 'role-c']);
    expect(read.roles.get('b')).toBe('nurse');
  });
});

describe('population', () => {
  test('groups by subject, skips inactive and deceased patients, names for drill-down', () => {
    const patients: Patient[] = [
      { resourceType: 'Patient', id: 'p1', name: [{ given: ['Ola'], family: 'Nordmann' }], birthDate: '1950-01-01' },
      { resourceType: 'Patient', id: 'p2', deceasedBoolean: true },
      { resourceType: 'Patient', id: 'p3', active: false },
    ];
    const related: Resource[] = [
      { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p1' }, clinicalStatus: { coding: [{ code: 'active' }] }, code: { coding: [{ system: SYSTEMS.icpc2, code: 'T90' }] } },
      { resourceType: 'Condition', id: 'c2', subject: { reference: 'Group/x' } },
    ];
    expect([...groupByPatient(related).keys()]).toEqual(['p1']);
    const pop = toPopulation(patients, related, '2026-03-31');
    expect(pop.members.map((m) => m.id)).toEqual(['p1']);
    expect(pop.members[0]?.facts.conditions).toHaveLength(1);
    expect(pop.names).toEqual({ p1: 'Ola Nordmann' });
  });
});

test('tariffNorms maps the catalogue in force (Table 1) to the manager norms', () => {
  const { norms, egenandelIsDemo } = tariffNorms(defaultCatalogues, '2026-03-31');
  expect(norms.find((n) => n.code === 'S2a')).toEqual({ code: 'S2a', text: 'Oppfølging hos sykepleier', profession: 'nurse', expectedPerYear: 1380 });
  expect(egenandelIsDemo).toBe(true);
});
