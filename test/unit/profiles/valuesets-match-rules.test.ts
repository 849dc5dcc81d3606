// Drift test (issue "FHIR profiles"): the target-group code lists exist twice, as data in the domain rule set
// (src/domain/targetGroups/ruleSet.ts, DEFAULT_RULE_SET) and as ValueSets in fhir-profiles (what an EPJ vendor
// reads). Changing a code in one without the other fails here. Compares the COMPILED ValueSets
// (fhir-profiles/fsh-generated, rebuilt when the FSH changed), both directions.
import type { ValueSet } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULE_SET } from '../../../src/domain/targetGroups/ruleSet.ts';
import { SYSTEMS } from '../../../src/fhir/systems.ts';
import { phtValueSets } from './validator.ts';

interface CodeSets {
  icpc2: string[];
  icd10: string[];
}

const normalise = (codes: readonly string[]): string[] =>
  [...new Set(codes.map((c) => c.trim().toUpperCase().replace('.', '')))].sort();

/** The enumerated codes of a value set, by code system; codes of any other system are reported as such. */
function codesOf(vs: ValueSet): CodeSets & { other: string[] } {
  const out = { icpc2: [] as string[], icd10: [] as string[], other: [] as string[] };
  for (const include of vs.compose?.include ?? []) {
    const codes = (include.concept ?? []).map((c) => c.code);
    if (include.system === SYSTEMS.icpc2) out.icpc2.push(...codes);
    else if (include.system === SYSTEMS.icd10no) out.icd10.push(...codes);
    else out.other.push(`${include.system ?? '(no system)'}: ${codes.join(' ') || '(whole system or filter)'}`);
    if (include.filter?.length || include.valueSet?.length) out.other.push(`${include.system}: filter/valueSet`);
  }
  return { icpc2: normalise(out.icpc2), icd10: normalise(out.icd10), other: out.other };
}

interface Expected extends CodeSets {
  valueSetId: string;
  key?: boolean;
}

function expectedFromRuleSet(ruleSet: typeof DEFAULT_RULE_SET): Expected[] {
  return [
    ...ruleSet.chronicDiseases.map((d) => ({
      valueSetId: `pht-chronic-${d.id}`,
      icpc2: d.icpc2,
      icd10: d.icd10,
      key: d.key,
    })),
    { valueSetId: 'pht-mental-substance', ...ruleSet.mentalSubstance },
    { valueSetId: 'pht-dementia', ...ruleSet.dementia },
    { valueSetId: 'pht-disability', ...ruleSet.disability },
  ];
}

const CODE_LIST_ID = /^pht-(chronic-.+|mental-substance|dementia|disability)$/;

/** Every difference between the rule set and the value sets, in words; empty when they agree. */
function driftBetween(expected: Expected[], valueSets: Map<string, ValueSet>): string[] {
  const problems: string[] = [];
  const expectedIds = new Set(expected.map((e) => e.valueSetId));
  for (const id of [...valueSets.keys()].filter((id) => CODE_LIST_ID.test(id)).sort()) {
    if (!expectedIds.has(id)) problems.push(`ValueSet ${id} has no counterpart in the rule set`);
  }
  for (const e of expected) {
    const vs = valueSets.get(e.valueSetId);
    if (!vs) {
      problems.push(`Rule set list ${e.valueSetId} has no ValueSet`);
      continue;
    }
    const actual = codesOf(vs);
    for (const system of ['icpc2', 'icd10'] as const) {
      const want = normalise(e[system]);
      const have = actual[system];
      const missing = want.filter((c) => !have.includes(c));
      const extra = have.filter((c) => !want.includes(c));
      if (missing.length) problems.push(`${e.valueSetId} ${system}: in the rule set only: ${missing.join(' ')}`);
      if (extra.length) problems.push(`${e.valueSetId} ${system}: in the ValueSet only: ${extra.join(' ')}`);
    }
    if (actual.other.length) problems.push(`${e.valueSetId}: unexpected includes ${actual.other.join('; ')}`);
    if (e.key !== undefined && /\(key\)/.test(vs.title ?? '') !== e.key) {
      problems.push(`${e.valueSetId}: key disease is ${e.key} in the rule set, title says "${vs.title}"`);
    }
  }
  return problems;
}

let valueSets = new Map<string, ValueSet>();

beforeAll(() => {
  valueSets = phtValueSets();
}, 180_000);

describe('target-group ValueSets match DEFAULT_RULE_SET', () => {
  it('agree in both directions', () => {
    expect(driftBetween(expectedFromRuleSet(DEFAULT_RULE_SET), valueSets)).toEqual([]);
  });

  it('covers the 11 chronic diseases of SPEC §3 and the three other lists', () => {
    const ids = [...valueSets.keys()].filter((id) => CODE_LIST_ID.test(id));
    expect(ids).toHaveLength(14);
  });

  describe('detects drift (so the test above can fail)', () => {
    const base = (): Expected[] => structuredClone(expectedFromRuleSet(DEFAULT_RULE_SET));

    it('a code added to the rule set only', () => {
      const changed = base();
      changed.find((e) => e.valueSetId === 'pht-chronic-diabetes')?.icd10.push('E13');
      expect(driftBetween(changed, valueSets)).toContain('pht-chronic-diabetes icd10: in the rule set only: E13');
    });

    it('a code removed from the rule set only (i.e. present in the ValueSet only)', () => {
      const changed = base();
      const mental = changed.find((e) => e.valueSetId === 'pht-mental-substance');
      if (!mental) throw new Error('no mental-substance list');
      mental.icpc2 = mental.icpc2.filter((c) => c !== 'P15');
      expect(driftBetween(changed, valueSets)).toContain('pht-mental-substance icpc2: in the ValueSet only: P15');
    });

    it('a disease without a ValueSet, and a ValueSet without a disease', () => {
      const changed = base().filter((e) => e.valueSetId !== 'pht-chronic-epilepsy');
      changed.push({ valueSetId: 'pht-chronic-gout', icpc2: ['T92'], icd10: ['M10'], key: false });
      const drift = driftBetween(changed, valueSets);
      expect(drift).toContain('ValueSet pht-chronic-epilepsy has no counterpart in the rule set');
      expect(drift).toContain('Rule set list pht-chronic-gout has no ValueSet');
    });
  });
});
