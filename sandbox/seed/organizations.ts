// The practice, the hospitals and institutions that discharge its patients, and the staff (SPEC §1, §8).
// Ids are fixed: the sandbox launch page and tests rely on gp-1, gp-2 (daglig leder), gp-3, nurse-1,
// secretary-1 and org-practice.

import type { Organization, Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import { EXTENSIONS, SYSTEMS } from '../../src/fhir/systems';
import { syntheticOrgnr } from './norwegianIds';

const NO_BASIS = 'http://hl7.no/fhir/StructureDefinition/no-basis-';

export const PRACTICE_ID = 'org-practice';
export const HELFO_ID = 'org-helfo';

export type InstitutionId = 'org-ous-ulleval' | 'org-ahus' | 'org-lovisenberg' | 'org-sagene-sykehjem';

interface OrgDef {
  readonly id: string;
  readonly name: string;
  readonly orgBase: number;
  readonly herId: string;
  readonly line: string;
  readonly postalCode: string;
  readonly city: string;
  readonly type: 'prov' | 'pay';
  readonly departments?: readonly string[];
}

const PRACTICE: OrgDef = {
  id: PRACTICE_ID, name: 'Torshov legesenter (primærhelseteam)', orgBase: 91234567, herId: '8100001',
  line: 'Vogts gate 64', postalCode: '0474', city: 'OSLO', type: 'prov',
};

export const INSTITUTIONS: Readonly<Record<InstitutionId, OrgDef>> = {
  'org-ous-ulleval': {
    id: 'org-ous-ulleval', name: 'Oslo universitetssykehus HF, Ullevål', orgBase: 99346704, herId: '8100101',
    line: 'Kirkeveien 166', postalCode: '0450', city: 'OSLO', type: 'prov',
    departments: ['Medisinsk klinikk, Geriatrisk avdeling', 'Hjertemedisinsk avdeling', 'Ortopedisk avdeling', 'Nevrologisk avdeling'],
  },
  'org-ahus': {
    id: 'org-ahus', name: 'Akershus universitetssykehus HF', orgBase: 98397163, herId: '8100102',
    line: 'Sykehusveien 25', postalCode: '1478', city: 'LØRENSKOG', type: 'prov',
    departments: ['Medisinsk divisjon, Lungeseksjonen', 'Medisinsk divisjon, Seksjon for hjertesvikt', 'Kirurgisk divisjon'],
  },
  'org-lovisenberg': {
    id: 'org-lovisenberg', name: 'Lovisenberg Diakonale Sykehus', orgBase: 98279195, herId: '8100103',
    line: 'Lovisenberggata 17', postalCode: '0456', city: 'OSLO', type: 'prov',
    departments: ['Medisinsk avdeling', 'Akuttgeriatrisk enhet', 'Kirurgisk avdeling'],
  },
  'org-sagene-sykehjem': {
    id: 'org-sagene-sykehjem', name: 'Sagene sykehjem', orgBase: 97412345, herId: '8100201',
    line: 'Sandakerveien 70', postalCode: '0477', city: 'OSLO', type: 'prov',
    departments: ['Korttidsavdelingen'],
  },
};

const HELFO: OrgDef = {
  id: HELFO_ID, name: 'Helfo', orgBase: 98345678, herId: '8100301', line: 'Postboks 2415', postalCode: '3104',
  city: 'TØNSBERG', type: 'pay',
};

function organization(d: OrgDef, partOf?: string): Organization {
  return {
    resourceType: 'Organization',
    id: d.id,
    meta: { profile: [`${NO_BASIS}Organization`] },
    identifier: [
      { system: SYSTEMS.orgnr, value: syntheticOrgnr(d.orgBase) },
      { system: SYSTEMS.herId, value: d.herId },
    ],
    active: true,
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: d.type }] }],
    name: d.name,
    address: [{ use: 'work', type: 'both', line: [d.line], postalCode: d.postalCode, city: d.city, country: 'NO' }],
    ...(partOf ? { partOf: { reference: partOf } } : {}),
  };
}

export function organizations(): Organization[] {
  return [organization(PRACTICE), ...Object.values(INSTITUTIONS).map((d) => organization(d)), organization(HELFO)];
}

export const GP_IDS = ['gp-1', 'gp-2', 'gp-3'] as const;
export type GpId = (typeof GP_IDS)[number];

interface StaffDef {
  readonly id: string;
  readonly given: string;
  readonly family: string;
  readonly gender: 'male' | 'female';
  readonly hpr: string;
  readonly category: 'LE' | 'SP' | 'HE';
  readonly positionPercent: number;
  readonly practiceManager?: boolean;
}

const CATEGORY_DISPLAY = { LE: 'Lege', SP: 'Sykepleier', HE: 'Helsesekretær' } as const;

/** 1 nurse per 3 GP lists (SPEC §1, source ch. 3). */
export const STAFF: readonly StaffDef[] = [
  { id: 'gp-1', given: 'Kari', family: 'Nordmann', gender: 'female', hpr: '9144881', category: 'LE', positionPercent: 100 },
  { id: 'gp-2', given: 'Ola', family: 'Bakken', gender: 'male', hpr: '9144882', category: 'LE', positionPercent: 100, practiceManager: true },
  { id: 'gp-3', given: 'Ingrid', family: 'Solberg', gender: 'female', hpr: '9144883', category: 'LE', positionPercent: 80 },
  { id: 'nurse-1', given: 'Siri', family: 'Haugland', gender: 'female', hpr: '9144884', category: 'SP', positionPercent: 100 },
  { id: 'secretary-1', given: 'Mona', family: 'Lie', gender: 'female', hpr: '9144885', category: 'HE', positionPercent: 80 },
];

export function staff(): (Practitioner | PractitionerRole)[] {
  return STAFF.flatMap((s): (Practitioner | PractitionerRole)[] => [
    {
      resourceType: 'Practitioner',
      id: s.id,
      meta: { profile: [`${NO_BASIS}Practitioner`] },
      identifier: [{ system: SYSTEMS.hpr, value: s.hpr }],
      active: true,
      name: [{ use: 'official', family: s.family, given: [s.given], text: `${s.given} ${s.family}` }],
      gender: s.gender,
      telecom: [{ system: 'phone', value: '+47 22 00 00 00', use: 'work' }],
    },
    {
      resourceType: 'PractitionerRole',
      id: `role-${s.id}`,
      meta: { profile: [`${NO_BASIS}PractitionerRole`] },
      active: true,
      practitioner: { reference: `Practitioner/${s.id}`, display: `${s.given} ${s.family}` },
      organization: { reference: `Organization/${PRACTICE_ID}` },
      code: [
        { coding: [{ system: SYSTEMS.healthPersonnelCategory, code: s.category, display: CATEGORY_DISPLAY[s.category] }] },
        ...(s.practiceManager ? [{ coding: [{ system: SYSTEMS.teamRole, code: 'practice-manager', display: 'Daglig leder' }] }] : []),
      ],
      extension: [{ url: EXTENSIONS.positionPercent, valueDecimal: s.positionPercent }],
    },
  ]);
}

export function institutionDisplay(id: InstitutionId): string {
  return INSTITUTIONS[id].name;
}
