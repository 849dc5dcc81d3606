// Target groups (SPEC §3): candidates by transparent rules, decided by the team's assessment.
export { TARGET_GROUPS, RULE_DESCRIPTIONS, FACT_LABELS, MARKER_DESCRIPTIONS, describeUnchecked } from './types';
export type { TargetGroup, Coding, PatientFacts, Classification, Reason, RuleId, FactKind, CriterionId, UncheckedCriterion, ClassifyOptions } from './types';
export { DEFAULT_RULE_SET, CARE_PLAN_DISEASE_IDS } from './ruleSet';
export type { CodeList, ChronicDisease, RuleSet } from './ruleSet';
export { classifyPatient, classifyPatientWith, createClassifier } from './classify';
export { validateRuleSet } from './validateRuleSet';
export type { RuleSetValidation } from './validateRuleSet';
export { CODE_SYSTEM_URIS, CODE_SYSTEM_LABELS, codeSystemKind, normalizeCode, matchKey } from './codeSystems';
export type { CodeSystemKind } from './codeSystems';
