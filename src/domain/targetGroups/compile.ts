// A rule set compiled once into lookup maps (SPEC §3 rule set as data; >= 100 000 patients/s).
import { matchKey, normalizeCode } from './codeSystems';
import { addDays } from './isoDate';
import { CARE_PLAN_DISEASE_IDS, type CodeList, type RuleSet } from './ruleSet';

export interface CodeTargets {
  /** Indexes into ruleSet.chronicDiseases. */
  diseases: number[];
  mentalSubstance: boolean;
  dementia: boolean;
  disability: boolean;
}

export interface CompiledRuleSet {
  ruleSet: RuleSet;
  icpc2: Map<string, CodeTargets>;
  icd10: Map<string, CodeTargets>;
  diseaseLabels: string[];
  keyDisease: boolean[];
  carePlanDisease: boolean[];
  // One-entry cache: a list is classified against one asOf.
  lastAsOf: string;
  lastWindowStart: string;
}

type Flag = 'mentalSubstance' | 'dementia' | 'disability';

function compile(ruleSet: RuleSet): CompiledRuleSet {
  const maps = { icpc2: new Map<string, CodeTargets>(), icd10: new Map<string, CodeTargets>() };
  const targetsFor = (kind: 'icpc2' | 'icd10', code: string): CodeTargets => {
    const key = matchKey(kind, normalizeCode(code));
    let targets = maps[kind].get(key);
    if (targets === undefined) {
      targets = { diseases: [], mentalSubstance: false, dementia: false, disability: false };
      maps[kind].set(key, targets);
    }
    return targets;
  };
  ruleSet.chronicDiseases.forEach((disease, index) => {
    for (const kind of ['icpc2', 'icd10'] as const) {
      for (const code of disease[kind]) {
        const targets = targetsFor(kind, code);
        if (!targets.diseases.includes(index)) targets.diseases.push(index);
      }
    }
  });
  const flags: [Flag, CodeList][] = [
    ['mentalSubstance', ruleSet.mentalSubstance],
    ['dementia', ruleSet.dementia],
    ['disability', ruleSet.disability],
  ];
  for (const [flag, codeList] of flags) {
    for (const kind of ['icpc2', 'icd10'] as const) {
      for (const code of codeList[kind]) targetsFor(kind, code)[flag] = true;
    }
  }
  return {
    ruleSet,
    ...maps,
    diseaseLabels: ruleSet.chronicDiseases.map((d) => d.label),
    keyDisease: ruleSet.chronicDiseases.map((d) => d.key),
    carePlanDisease: ruleSet.chronicDiseases.map((d) => CARE_PLAN_DISEASE_IDS.includes(d.id)),
    lastAsOf: '',
    lastWindowStart: '',
  };
}

// Rule sets are treated as immutable once used: the compiled form is cached per object.
const cache = new WeakMap<RuleSet, CompiledRuleSet>();

// The last one asked for, without a WeakMap lookup (a list is classified against one rule set).
let lastRuleSet: RuleSet | undefined;
let lastCompiled: CompiledRuleSet | undefined;

export function compiledRuleSet(ruleSet: RuleSet): CompiledRuleSet {
  if (ruleSet === lastRuleSet && lastCompiled !== undefined) return lastCompiled;
  let c = cache.get(ruleSet);
  if (c === undefined) {
    c = compile(ruleSet);
    cache.set(ruleSet, c);
  }
  lastRuleSet = ruleSet;
  lastCompiled = c;
  return c;
}

/** First day of "the last N days": asOf - lookbackDays (both ends included). */
export function windowStart(c: CompiledRuleSet, asOf: string): string {
  if (c.lastAsOf !== asOf) {
    c.lastWindowStart = addDays(asOf, -c.ruleSet.thresholds.lookbackDays);
    c.lastAsOf = asOf;
  }
  return c.lastWindowStart;
}
