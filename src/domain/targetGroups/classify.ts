// Target-group candidates (SPEC §3): transparent rules over routine data, then the team's assessment.
// Hot path for whole lists (>= 100 000 patients/s): the rule set is compiled once into lookup maps,
// dates stay YYYY-MM-DD strings compared lexically, the window start is computed once per asOf, and
// the loops avoid closures and intermediate arrays.
import { CODE_SYSTEM_LABELS, codeSystemKind, matchKey, normalizeCode } from './codeSystems';
import { compiledRuleSet, windowStart, type CodeTargets, type CompiledRuleSet } from './compile';
import { fullYears, isIsoDate } from './isoDate';
import { DEFAULT_RULE_SET, type RuleSet } from './ruleSet';
import { TARGET_GROUPS, type Classification, type ClassifyOptions, type CriterionId, type FactKind, type PatientFacts, type Reason, type RuleId, type TargetGroup, type UncheckedCriterion } from './types';

type Assessment = PatientFacts['assessments'][number];

/** A coding of an active condition that a rule reads: its kind, normalised code and what it counts towards. */
interface Match {
  kind: 'icpc2' | 'icd10';
  code: string;
  targets: CodeTargets;
}

/**
 * What the rules need from the facts, read once. The evidence texts are built only for the rules that
 * fire (most patients are in no group): from the matched codings, the ATC codes and the discharge dates.
 */
interface Evidence {
  diseaseCount: number;
  keyFound: boolean;
  carePlanDisease: boolean;
  /** The active conditions' codings that count towards a disease or a group, in the facts' order. */
  matches: Match[] | undefined;
  mentalSubstance: boolean;
  dementia: boolean;
  disability: boolean;
  /** Distinct ATC codes of active medications, in order, when they make polypharmacy. */
  polypharmacy: string[] | undefined;
  /** Discharge dates in the window, distinct, latest first. */
  discharges: string[] | undefined;
  recentContact: boolean;
  recentMedicationReview: boolean;
  frailty: { value: number; date: string } | undefined;
  activeCarePlanWithGoals: boolean;
  age: number | undefined;
  birthDate: string;
}

const GROUP_INDEX: Readonly<Record<TargetGroup, number>> = {
  chronic: 0,
  'mental-substance': 1,
  'frail-elderly': 2,
  disability: 3,
};

/** Classifies one patient with the default rule set of SPEC §3. `asOf` is an Oslo date, YYYY-MM-DD. */
export function classifyPatient(facts: PatientFacts, asOf: string): Classification {
  return classifyPatientWith(DEFAULT_RULE_SET, facts, asOf);
}

/**
 * Classifies one patient with a practice's rule set. Throws RangeError only for an invalid `asOf` (a
 * programming error); bad patient data becomes `warnings`, never an exception.
 */
export function classifyPatientWith(ruleSet: RuleSet, facts: PatientFacts, asOf: string, options?: ClassifyOptions): Classification {
  return classify(compiledRuleSet(ruleSet), facts, asOf, options);
}

/** A classifier bound to one rule set (a practice's configuration), for classifying a whole list. */
export function createClassifier(ruleSet: RuleSet): (facts: PatientFacts, asOf: string, options?: ClassifyOptions) => Classification {
  const c = compiledRuleSet(ruleSet);
  return (facts, asOf, options) => classify(c, facts, asOf, options);
}

function classify(c: CompiledRuleSet, facts: PatientFacts, asOf: string, options?: ClassifyOptions): Classification {
  if (!isIsoDate(asOf)) throw new RangeError(`asOf must be a date YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
  const warnings: string[] = [];
  const e = readEvidence(c, facts, asOf, warnings);
  const fired = fireRules(c, e);
  const latest = latestAssessments(facts.assessments, asOf, warnings);
  const livesInInstitution = facts.livesInInstitution === true;

  const groups: TargetGroup[] = [];
  const confirmed: TargetGroup[] = [];
  const reasons: Reason[] = [];
  for (let index = 0; index < TARGET_GROUPS.length; index++) {
    const group = TARGET_GROUPS[index];
    const groupReasons = fired[index];
    if (group === undefined || groupReasons === undefined) continue;
    for (const reason of groupReasons) reasons.push(reason);
    // Home-dwelling [SPEC §3]: an institution resident is not a candidate by the rules ...
    let member = groupReasons.length > 0;
    if (member && livesInInstitution) {
      member = false;
      reasons.push({ group, rule: 'home-dwelling.lives-in-institution', evidence: ['Registrert som beboer i institusjon'] });
    }
    // ... but the team's medical assessment decides [SPEC §1, §3]: a confirmation still includes a
    // resident (never silently dropped), with a warning asking the team to assess again.
    const assessment = latest[index];
    if (assessment !== undefined) {
      member = assessment.include === true;
      reasons.push(assessmentReason(group, assessment, member));
      if (member) {
        confirmed.push(group);
        if (livesInInstitution) {
          warnings.push(`Bor i institusjon, men er bekreftet i målgruppen «${group}» ${assessment.date}; vurder på nytt.`);
        }
      }
    }
    if (member) groups.push(group);
  }

  const result: Classification = {
    groups,
    confirmed,
    // Weak demander [SPEC §3, source ch. 4.3]: in a group and no contact in the last 365 days.
    weakDemander: groups.length > 0 && !e.recentContact,
    // [SPEC §3, source ch. 6.2.1]: polypharmacy and no review (or assessment of the need) in the window.
    needsMedicationReview: e.polypharmacy !== undefined && !e.recentMedicationReview,
    // [SPEC §3, source Table 2]: diabetes or KOLS and no active care plan with goals.
    needsCarePlan: e.carePlanDisease && !e.activeCarePlanWithGoals,
    reasons,
    warnings,
  };
  if (options?.unavailable !== undefined) result.unchecked = uncheckedCriteria(c, e, reasons, groups, options.unavailable);
  return result;
}

/**
 * Criteria that did not fire but could have (and could change the result: not of a group the patient is
 * already in): each is a list of parts (a fact kind and whether the
 * known facts satisfy that part). Unchecked = not fired, every available part holds, some part missing.
 */
function uncheckedCriteria(c: CompiledRuleSet, e: Evidence, reasons: Reason[], memberOf: readonly TargetGroup[], unavailable: readonly FactKind[]): UncheckedCriterion[] {
  const inGroup = memberOf.length > 0;
  const t = c.ruleSet.thresholds;
  const missing = new Set(unavailable);
  const fired = new Set<string>(reasons.map((r) => r.rule));
  const multimorbidity = e.diseaseCount >= t.chronicMinDiseases;
  const old = e.age !== undefined && e.age >= t.frailAgeWithCriteria;
  const poly = e.polypharmacy !== undefined;
  const discharged = e.discharges !== undefined;
  const criteria: [CriterionId, TargetGroup | undefined, [FactKind, boolean][]][] = [
    ['chronic.key-disease-with-multimorbidity', 'chronic', [['conditions', e.keyFound && multimorbidity]]],
    ['chronic.key-disease-with-polypharmacy', 'chronic', [['conditions', e.keyFound], ['medications', poly]]],
    ['chronic.key-disease-with-discharge', 'chronic', [['conditions', e.keyFound], ['discharges', discharged]]],
    ['mental-substance.diagnosis', 'mental-substance', [['conditions', e.mentalSubstance]]],
    ['frail-elderly.age', 'frail-elderly', [['birthDate', e.age !== undefined && e.age >= t.frailAge]]],
    ['frail-elderly.age-with-frailty-score', 'frail-elderly', [['birthDate', old], ['frailtyScores', e.frailty !== undefined && e.frailty.value >= t.frailtyScoreMin]]],
    ['frail-elderly.age-with-dementia', 'frail-elderly', [['birthDate', old], ['conditions', e.dementia]]],
    ['frail-elderly.age-with-discharge', 'frail-elderly', [['birthDate', old], ['discharges', discharged]]],
    ['frail-elderly.age-with-polypharmacy-and-multimorbidity', 'frail-elderly', [['birthDate', old], ['medications', poly], ['conditions', multimorbidity]]],
    ['disability.diagnosis', 'disability', [['conditions', e.disability]]],
    ['home-dwelling.lives-in-institution', undefined, [['livesInInstitution', false]]],
    ['weak-demander', undefined, [['contacts', !e.recentContact]]],
    ['needs-medication-review', undefined, [['medications', poly], ['medicationReviews', !e.recentMedicationReview]]],
    ['needs-care-plan', undefined, [['conditions', e.carePlanDisease], ['carePlans', !e.activeCarePlanWithGoals]]],
  ];
  const out: UncheckedCriterion[] = [];
  for (const [criterion, group, parts] of criteria) {
    if (fired.has(criterion)) continue;
    // A rule of a group the patient is already in cannot change the result.
    if (group !== undefined && memberOf.includes(group)) continue;
    // Residence and weak demand only matter for a patient the rules put in a group.
    if ((criterion === 'home-dwelling.lives-in-institution' || criterion === 'weak-demander') && !inGroup) continue;
    const lacking = parts.filter(([kind]) => missing.has(kind)).map(([kind]) => kind);
    if (lacking.length === 0) continue;
    if (!parts.every(([kind, holds]) => missing.has(kind) || holds)) continue;
    out.push({ criterion, ...(group !== undefined && { group }), missing: lacking });
  }
  return out;
}

// One Evidence, reset per call (classify is synchronous and keeps none of it: the reasons get their own lists).
const evidence: Evidence = {
  diseaseCount: 0,
  keyFound: false,
  carePlanDisease: false,
  matches: undefined,
  mentalSubstance: false,
  dementia: false,
  disability: false,
  polypharmacy: undefined,
  discharges: undefined,
  recentContact: false,
  recentMedicationReview: false,
  frailty: undefined,
  activeCarePlanWithGoals: false,
  age: undefined,
  birthDate: '',
};

function readEvidence(c: CompiledRuleSet, facts: PatientFacts, asOf: string, warnings: string[]): Evidence {
  const from = windowStart(c, asOf);
  const e = evidence;
  e.diseaseCount = 0;
  e.keyFound = false;
  e.carePlanDisease = false;
  e.matches = undefined;
  e.mentalSubstance = false;
  e.dementia = false;
  e.disability = false;
  e.polypharmacy = undefined;
  e.discharges = undefined;
  e.recentContact = false;
  e.recentMedicationReview = false;
  e.frailty = undefined;
  e.activeCarePlanWithGoals = false;
  e.age = undefined;
  e.birthDate = '';
  readConditions(c, facts, e);
  readMedications(c, facts, e);

  // Dated facts: "in the last 365 days" is [asOf - 365, asOf]; anything after asOf is ignored.
  let dischargeDates: string[] | undefined;
  for (const date of facts.discharges) {
    if (!isIsoDate(date)) warnings.push(invalidDate(date, 'utskrivninger'));
    else if (date >= from && date <= asOf) {
      if (dischargeDates === undefined) dischargeDates = [date];
      else if (!dischargeDates.includes(date)) dischargeDates.push(date);
    }
  }
  if (dischargeDates !== undefined) e.discharges = dischargeDates.sort().reverse();
  e.recentContact = anyInWindow(facts.contacts, from, asOf, 'kontakter', warnings);
  e.recentMedicationReview = anyInWindow(facts.medicationReviews, from, asOf, 'legemiddelgjennomganger', warnings);
  e.frailty = latestFrailty(facts.frailtyScores, asOf, warnings);
  for (const plan of facts.carePlans) if (plan.active === true && plan.hasGoals === true) e.activeCarePlanWithGoals = true;
  readAge(facts.birthDate, asOf, e, warnings);
  return e;
}

// Which diseases a patient has: a stamp per disease index (the call's number), so no set per patient.
const diseaseStamp: number[] = [];
let stamp = 0;

// Only active conditions; a disease counts once however many codings or conditions carry it.
function readConditions(c: CompiledRuleSet, facts: PatientFacts, e: Evidence): void {
  stamp = stamp >= 0x3fffffff ? 1 : stamp + 1;
  if (stamp === 1) diseaseStamp.length = 0;
  for (const condition of facts.conditions) {
    if (condition.active !== true) continue;
    for (const coding of condition.codings) {
      const kind = codeSystemKind(coding.system);
      if ((kind !== 'icpc2' && kind !== 'icd10') || typeof coding.code !== 'string') continue;
      const code = normalizeCode(coding.code);
      const targets = (kind === 'icpc2' ? c.icpc2 : c.icd10).get(matchKey(kind, code));
      if (targets === undefined) continue;
      const match: Match = { kind, code, targets };
      if (e.matches === undefined) e.matches = [match];
      else e.matches.push(match);
      for (const index of targets.diseases) {
        if (diseaseStamp[index] === stamp) continue;
        diseaseStamp[index] = stamp;
        e.diseaseCount++;
        if (c.keyDisease[index] === true) e.keyFound = true;
        if (c.carePlanDisease[index] === true) e.carePlanDisease = true;
      }
      if (targets.mentalSubstance) e.mentalSubstance = true;
      if (targets.dementia) e.dementia = true;
      if (targets.disability) e.disability = true;
    }
  }
}

// Polypharmacy: distinct ATC codes of active medications (fastlegeforskriften § 25).
function readMedications(c: CompiledRuleSet, facts: PatientFacts, e: Evidence): void {
  let atcs: string[] | undefined;
  for (const medication of facts.medications) {
    if (medication.active !== true || typeof medication.atc !== 'string') continue;
    const atc = normalizeCode(medication.atc);
    if (atc === '') continue;
    if (atcs === undefined) atcs = [atc];
    else if (!atcs.includes(atc)) atcs.push(atc);
  }
  if (atcs !== undefined && atcs.length >= c.ruleSet.thresholds.polypharmacyMinAtc) e.polypharmacy = atcs;
}

function anyInWindow(dates: string[], from: string, asOf: string, where: string, warnings: string[]): boolean {
  let found = false;
  for (const date of dates) {
    if (!isIsoDate(date)) warnings.push(invalidDate(date, where));
    else if (date >= from && date <= asOf) found = true;
  }
  return found;
}

// The latest Clinical Frailty Scale score wins; on the same date the later entry.
function latestFrailty(scores: PatientFacts['frailtyScores'], asOf: string, warnings: string[]): Evidence['frailty'] {
  let latest: Evidence['frailty'];
  for (const score of scores) {
    if (!isIsoDate(score.date)) {
      warnings.push(invalidDate(score.date, 'skrøpelighetsskår (CFS)'));
    } else if (score.date <= asOf) {
      if (!Number.isInteger(score.value) || score.value < 1 || score.value > 9) {
        warnings.push(`Skrøpelighetsskår (CFS) ${String(score.value)} fra ${score.date} er ikke mellom 1 og 9; ikke brukt.`);
      } else if (latest === undefined || score.date >= latest.date) {
        latest = score;
      }
    }
  }
  return latest;
}

// Age in full years on asOf; a missing or invalid birth date skips the age rules, with a warning.
function readAge(birthDate: string | undefined, asOf: string, e: Evidence, warnings: string[]): void {
  if (birthDate === undefined || birthDate === null || birthDate === '') {
    warnings.push('Fødselsdato mangler; aldersreglene er ikke brukt.');
  } else if (!isIsoDate(birthDate)) {
    warnings.push(`Ugyldig fødselsdato ${JSON.stringify(birthDate)}; aldersreglene er ikke brukt.`);
  } else if (birthDate > asOf) {
    warnings.push(`Fødselsdato ${birthDate} er etter ${asOf}; aldersreglene er ikke brukt.`);
  } else {
    e.age = fullYears(birthDate, asOf);
    e.birthDate = birthDate;
  }
}

// ---------------------------------------------------------------------------------------------
// Evidence texts, built for a rule that fires.

function shown(match: Match): string {
  return `${CODE_SYSTEM_LABELS[match.kind]} ${match.code}`;
}

/**
 * 'ICPC-2 T90 (Diabetes type 2)' per coding and disease: disease by disease (in rule-set order), each
 * disease's codings once, in the facts' order; `keyOnly` for the key diseases.
 */
function diseaseEvidence(c: CompiledRuleSet, e: Evidence, keyOnly: boolean, out: string[]): string[] {
  const matches = e.matches ?? [];
  for (let index = 0; index < c.diseaseLabels.length; index++) {
    if (keyOnly && c.keyDisease[index] !== true) continue;
    const start = out.length;
    for (const match of matches) {
      if (!match.targets.diseases.includes(index)) continue;
      const item = `${shown(match)} (${c.diseaseLabels[index] ?? ''})`;
      if (out.indexOf(item, start) < 0) out.push(item);
    }
  }
  return out;
}

/** 'ICPC-2 P15' per coding of the flagged kind, each once, in the facts' order. */
function flaggedEvidence(e: Evidence, flag: 'mentalSubstance' | 'dementia' | 'disability', out: string[]): string[] {
  const start = out.length;
  for (const match of e.matches ?? []) {
    if (!match.targets[flag]) continue;
    const item = shown(match);
    if (out.indexOf(item, start) < 0) out.push(item);
  }
  return out;
}

/** The count of distinct ATC codes, then 'ATC X' per code. */
function polypharmacyEvidence(atcs: readonly string[], out: string[]): string[] {
  out.push(`${atcs.length} aktive legemidler med ulik ATC-kode`);
  for (const atc of atcs) out.push(`ATC ${atc}`);
  return out;
}

/** 'Utskrevet YYYY-MM-DD' per discharge in the window, latest first. */
function dischargeEvidence(dates: readonly string[], out: string[]): string[] {
  for (const date of dates) out.push(`Utskrevet ${date}`);
  return out;
}

function fire(byGroup: Reason[][] | undefined, group: TargetGroup, rule: RuleId, evidence: string[]): Reason[][] {
  const groups = byGroup ?? [[], [], [], []];
  groups[GROUP_INDEX[group]]?.push({ group, rule, evidence });
  return groups;
}

/** Nothing fired (most patients): read only, never pushed to. */
const NOTHING_FIRED: readonly (readonly Reason[])[] = [[], [], [], []];

/** Every rule that fires, per group in TargetGroup order. */
function fireRules(c: CompiledRuleSet, e: Evidence): readonly (readonly Reason[])[] {
  const t = c.ruleSet.thresholds;
  let byGroup: Reason[][] | undefined;
  const multimorbidity = e.diseaseCount >= t.chronicMinDiseases;
  if (e.keyFound) {
    if (multimorbidity) byGroup = fire(byGroup, 'chronic', 'chronic.key-disease-with-multimorbidity', diseaseEvidence(c, e, false, []));
    if (e.polypharmacy !== undefined) {
      byGroup = fire(byGroup, 'chronic', 'chronic.key-disease-with-polypharmacy', polypharmacyEvidence(e.polypharmacy, diseaseEvidence(c, e, true, [])));
    }
    if (e.discharges !== undefined) byGroup = fire(byGroup, 'chronic', 'chronic.key-disease-with-discharge', dischargeEvidence(e.discharges, diseaseEvidence(c, e, true, [])));
  }
  if (e.mentalSubstance) byGroup = fire(byGroup, 'mental-substance', 'mental-substance.diagnosis', flaggedEvidence(e, 'mentalSubstance', []));
  if (e.age !== undefined && e.age >= Math.min(t.frailAge, t.frailAgeWithCriteria)) {
    const age = `Alder ${e.age} år (født ${e.birthDate})`;
    if (e.age >= t.frailAge) byGroup = fire(byGroup, 'frail-elderly', 'frail-elderly.age', [age]);
    if (e.age >= t.frailAgeWithCriteria) {
      if (e.frailty !== undefined && e.frailty.value >= t.frailtyScoreMin) {
        const score = `Klinisk skrøpelighetsskala (CFS) ${e.frailty.value}, ${e.frailty.date}`;
        byGroup = fire(byGroup, 'frail-elderly', 'frail-elderly.age-with-frailty-score', [age, score]);
      }
      if (e.dementia) byGroup = fire(byGroup, 'frail-elderly', 'frail-elderly.age-with-dementia', flaggedEvidence(e, 'dementia', [age]));
      if (e.discharges !== undefined) byGroup = fire(byGroup, 'frail-elderly', 'frail-elderly.age-with-discharge', dischargeEvidence(e.discharges, [age]));
      if (e.polypharmacy !== undefined && multimorbidity) {
        const evidence = diseaseEvidence(c, e, false, polypharmacyEvidence(e.polypharmacy, [age]));
        byGroup = fire(byGroup, 'frail-elderly', 'frail-elderly.age-with-polypharmacy-and-multimorbidity', evidence);
      }
    }
  }
  if (e.disability) byGroup = fire(byGroup, 'disability', 'disability.diagnosis', flaggedEvidence(e, 'disability', []));
  return byGroup ?? NOTHING_FIRED;
}

const NO_ASSESSMENTS: readonly (Assessment | undefined)[] = [undefined, undefined, undefined, undefined];

// The team's latest assessment per group (by date; on the same date the later entry), up to asOf.
function latestAssessments(assessments: Assessment[], asOf: string, warnings: string[]): readonly (Assessment | undefined)[] {
  if (assessments.length === 0) return NO_ASSESSMENTS;
  const latest: (Assessment | undefined)[] = [undefined, undefined, undefined, undefined];
  for (const assessment of assessments) {
    const index = GROUP_INDEX[assessment.group];
    if (index === undefined) continue;
    if (!isIsoDate(assessment.date)) {
      warnings.push(invalidDate(assessment.date, 'vurderinger'));
      continue;
    }
    if (assessment.date > asOf) continue;
    const current = latest[index];
    if (current === undefined || assessment.date >= current.date) latest[index] = assessment;
  }
  return latest;
}

function assessmentReason(group: TargetGroup, assessment: Assessment, include: boolean): Reason {
  const author = typeof assessment.author === 'string' ? assessment.author.trim() : '';
  const reason = typeof assessment.reason === 'string' ? assessment.reason.trim() : '';
  const text = `${include ? 'Bekreftet' : 'Avkreftet'} ${assessment.date}${author === '' ? '' : ` av ${author}`}${reason === '' ? '' : `: ${reason}`}`;
  return { group, rule: include ? 'team-assessment.include' : 'team-assessment.exclude', evidence: [text] };
}

function invalidDate(value: unknown, where: string): string {
  return `Ugyldig dato ${JSON.stringify(value) ?? String(value)} i ${where}; oppføringen er ikke brukt.`;
}
