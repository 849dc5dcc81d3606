// Issue 17 item 7: the GP column shows the GP's name, not the id; the secretary sees no clinical group
// labels (rows, CSV).
import type { PractitionerRole } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import type { PopulationRow } from '../../../src/domain/targetGroups/views';
import { columns } from '../../../src/features/list-overview/PatientList';
import { listCsv } from '../../../src/features/list-overview/csv';
import { DEFAULT_FILTER, filterRows } from '../../../src/features/list-overview/filters';
import type { FhirClient } from '../../../src/fhir/client';
import { loadPracticeTeam } from '../../../src/fhir/populationTeam';
import { SYSTEMS } from '../../../src/fhir/systems';

const gpRole = (id: string): PractitionerRole => ({
  resourceType: 'PractitionerRole',
  practitioner: { reference: `Practitioner/${id}` },
  organization: { reference: 'Organization/org-1' },
  code: [{ coding: [{ system: SYSTEMS.healthPersonnelCategory, code: 'LE' }] }],
});

describe('GP names', () => {
  test('a GP role without display is named from the Practitioner', async () => {
    const client = {
      searchAll: (type: string, params: Record<string, string>) => {
        if (type === 'PractitionerRole') return Promise.resolve(params.practitioner ? [{ ...gpRole('sec-1'), code: [] }] : [gpRole('gp-1')]);
        if (type === 'Practitioner' && params._id === 'gp-1') return Promise.resolve([{ resourceType: 'Practitioner', id: 'gp-1', name: [{ given: ['Inger'], family: 'Olsen' }] }]);
        return Promise.resolve([]);
      },
    } as unknown as FhirClient;
    const team = await loadPracticeTeam(client, 'sec-1');
    expect(team.gps).toEqual([{ id: 'gp-1', name: 'Inger Olsen' }]);
  });
});

const ROW: PopulationRow = {
  patientId: 'p1',
  name: 'Kari Nordmann',
  gpId: 'gp-1',
  gpName: 'Inger Olsen',
  age: 80,
  inTargetGroup: true,
  groups: [{ group: 'frail-elderly', confirmed: false }],
  weakDemander: false,
  needsMedicationReview: true,
  needsCarePlan: false,
  reasons: [],
  addressProtected: false,
  issueCount: 0,
};

describe('what the secretary sees', () => {
  const text = (clinical: boolean) => columns(clinical).map((c) => `${c.header}=${String(c.cell(ROW))}`);
  test('membership only: no group, marker or reason labels', () => {
    expect(text(false)).toEqual(['Navn=Kari Nordmann', 'Alder=80', 'Fastlege=Inger Olsen', 'Oppfølging=I målgruppe']);
    expect(listCsv([ROW], { clinical: false })).not.toMatch(/skrøpelig|forslag|legemiddel/i);
  });
  test('clinical roles still see the groups and markers', () => {
    expect(text(true).join('|')).toMatch(/forslag/);
    expect(text(true).join('|')).toMatch(/legemiddelgjennomgang/);
  });
});

describe('criteria the EPJ could not check (issue 16): stored with the row, filtered on', () => {
  const unchecked = { ...ROW, patientId: 'p2', name: 'Ola Holm', inTargetGroup: false, groups: [], unchecked: [{ group: 'frail-elderly' as const, text: 'Kunne ikke sjekkes: Skrøpelig eldre (mangler skrøpelighetsskår)' }] };
  test('the «unchecked» filter keeps only the rows with such criteria, in a group or not', () => {
    const rows = [ROW, unchecked];
    expect(filterRows(rows, { ...DEFAULT_FILTER, group: 'unchecked' }).map((r) => r.patientId)).toEqual(['p2']);
    expect(filterRows(rows, DEFAULT_FILTER).map((r) => r.patientId)).toEqual(['p1']);
  });
});
