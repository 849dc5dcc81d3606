// Every example of fhir-profiles validates against core R4 and its PHT profile, and the validator refuses
// broken resources (so a green run means something). validateAgainstProfiles is shared with builder tests.
import type { ChargeItem, Flag, PractitionerRole, Resource, Task } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  errorsOf,
  phtExamples,
  phtProfiles,
  validateAgainstProfiles,
} from './validator.ts';

let examples: Resource[] = [];

beforeAll(() => {
  examples = phtExamples();
}, 180_000);

function example<T extends Resource>(id: string): T {
  const found = examples.find((r) => r.id === id);
  if (!found) throw new Error(`No example ${id}`);
  return structuredClone(found) as T;
}

function errorTexts(resource: Resource): string[] {
  return errorsOf(validateAgainstProfiles(resource, { requireProfile: false })).map(
    (i) => `${(i.expression ?? []).join(' ')}: ${i.details?.text ?? i.diagnostics ?? ''}`,
  );
}

describe('PHT examples', () => {
  it('has an example for every profile', () => {
    const used = new Set(examples.flatMap((r) => r.meta?.profile ?? []));
    expect([...phtProfiles().keys()].filter((url) => !used.has(url))).toEqual([]);
  });

  it('validates every example against core and its profiles', () => {
    expect(examples.length).toBeGreaterThan(10);
    const failures = examples.flatMap((r) => errorTexts(r).map((t) => `${r.resourceType}/${r.id} ${t}`));
    expect(failures).toEqual([]);
  });
});

describe('the validator refuses broken resources', () => {
  it('a flag without subject and identifier', () => {
    const flag = example<Flag>('ExampleTargetGroupFlag');
    delete (flag as Partial<Flag>).subject;
    flag.identifier = [];
    expect(errorTexts(flag).length).toBeGreaterThan(0);
  });

  it('a target-group code that is not in the code system', () => {
    const flag = example<Flag>('ExampleTargetGroupFlag');
    flag.code = { coding: [{ system: 'https://pht.example.org/fhir/CodeSystem/target-group', code: 'lonely' }] };
    expect(errorTexts(flag).join('\n')).toMatch(/not in the required value set/);
  });

  it('a flag whose subject is not a Patient', () => {
    const flag = example<Flag>('ExampleTargetGroupFlag');
    flag.subject = { reference: 'Practitioner/ExampleNurse' };
    expect(errorTexts(flag).join('\n')).toMatch(/Invalid reference/);
  });

  it('a discharge follow-up without a deadline (invariant pht-task-1)', () => {
    const task = example<Task>('ExampleFollowUpTask');
    delete task.restriction;
    expect(errorTexts(task).join('\n')).toMatch(/pht-task-1/);
  });

  it('a task status outside the core value set', () => {
    const task = example<Task>('ExampleFollowUpTask');
    (task as { status: string }).status = 'done';
    expect(errorTexts(task).join('\n')).toMatch(/not in the required value set/);
  });

  it('an egenandel extension with a string instead of Money', () => {
    const charge = example<ChargeItem>('ExampleGpCharge');
    charge.extension = [
      {
        url: 'https://pht.example.org/fhir/StructureDefinition/egenandel',
        extension: [{ url: 'charged', valueString: '167 kr' }],
      },
    ];
    expect(errorTexts(charge).length).toBeGreaterThan(0);
  });

  it('a waived charge that still charges an egenandel (invariant pht-charge-1)', () => {
    const charge = example<ChargeItem>('ExampleNurseCharge');
    const egenandel = charge.extension?.find((e) => e.url.endsWith('/egenandel'));
    const charged = egenandel?.extension?.find((e) => e.url === 'charged');
    if (!charged?.valueMoney) throw new Error('example changed');
    charged.valueMoney.value = 60;
    expect(errorTexts(charge).join('\n')).toMatch(/pht-charge-1/);
  });

  it('a position size over 100 % (invariant of the position-percent extension)', () => {
    const role = example<PractitionerRole>('ExampleNurseRole');
    const percent = role.extension?.find((e) => e.url.endsWith('/position-percent'));
    if (!percent) throw new Error('example changed');
    percent.valueDecimal = 150;
    expect(errorTexts(role).join('\n')).toMatch(/pht-position-percent-1/);
  });

  it('an unknown PHT extension and a resource claiming no PHT profile', () => {
    const charge = example<ChargeItem>('ExampleGpCharge');
    charge.extension = [{ url: 'https://pht.example.org/fhir/StructureDefinition/nope', valueBoolean: true }];
    delete charge.meta;
    const texts = errorsOf(validateAgainstProfiles(charge)).map((i) => i.details?.text ?? '');
    expect(texts).toContain('Unknown PHT extension https://pht.example.org/fhir/StructureDefinition/nope');
    expect(texts).toContain('ChargeItem claims no PHT profile in meta.profile');
  });
});
