// The default target-group rule set of SPEC §3, as data. A practice may load its own (validated by
// `validateRuleSet`); the FHIR ValueSets in fhir-profiles/ are compared with these lists by a test,
// so names and shapes here are a contract.

/** ICD-10 as 3-character categories, ranges expanded (F10..F16 -> 'F10', 'F11', ...). */
export interface CodeList {
  icpc2: string[];
  icd10: string[];
}

export interface ChronicDisease extends CodeList {
  id: string;
  label: string;
  /** A key disease is required for the `chronic` group (SPEC §3). */
  key: boolean;
}

export interface RuleSet {
  id: string;
  version: string;
  chronicDiseases: ChronicDisease[];
  mentalSubstance: CodeList;
  dementia: CodeList;
  disability: CodeList;
  thresholds: {
    /** Polypharmacy: at least this many distinct active ATC codes (fastlegeforskriften § 25). */
    polypharmacyMinAtc: number;
    /** "2 or more distinct chronic diseases" (the key disease counts). */
    chronicMinDiseases: number;
    /** Age alone qualifies for frail-elderly ("eldre over 85 år"). */
    frailAge: number;
    /** Age that qualifies together with one more criterion. */
    frailAgeWithCriteria: number;
    /** Clinical Frailty Scale score that counts as frail. */
    frailtyScoreMin: number;
    /** "In the last N days": asOf - N to asOf, both included. */
    lookbackDays: number;
  };
}

/** Diseases whose patients should have a care plan with goals (SPEC §3, source Table 2). */
export const CARE_PLAN_DISEASE_IDS: readonly string[] = ['diabetes', 'kols'];

export const DEFAULT_RULE_SET: RuleSet = deepFreeze({
  id: 'pht-default',
  version: '1.0.0',
  chronicDiseases: [
    { id: 'diabetes', label: 'diabetes', key: true, icpc2: ['T89', 'T90'], icd10: ['E10', 'E11'] },
    { id: 'kols', label: 'KOLS', key: true, icpc2: ['R95'], icd10: ['J44'] },
    { id: 'heart-failure', label: 'hjertesvikt', key: true, icpc2: ['K77'], icd10: ['I50'] },
    { id: 'asthma', label: 'astma', key: false, icpc2: ['R96'], icd10: ['J45'] },
    { id: 'ihd', label: 'iskemisk hjertesykdom', key: false, icpc2: ['K74', 'K76'], icd10: ['I20', 'I25'] },
    { id: 'atrial-fibrillation', label: 'atrieflimmer', key: false, icpc2: ['K78'], icd10: ['I48'] },
    {
      id: 'hypertension',
      label: 'hypertensjon',
      key: false,
      icpc2: ['K86', 'K87'],
      icd10: ['I10', 'I11', 'I12', 'I13', 'I15'],
    },
    { id: 'stroke', label: 'hjerneslag', key: false, icpc2: ['K90'], icd10: ['I60', 'I61', 'I63', 'I64', 'I69'] },
    { id: 'parkinsonism', label: 'parkinsonisme', key: false, icpc2: ['N87'], icd10: ['G20'] },
    { id: 'epilepsy', label: 'epilepsi', key: false, icpc2: ['N88'], icd10: ['G40'] },
    { id: 'rheumatoid-arthritis', label: 'revmatoid artritt', key: false, icpc2: ['L88'], icd10: ['M05', 'M06'] },
  ],
  // F17 (tobacco) is deliberately absent; depression and anxiety alone do not qualify (SPEC §3).
  mentalSubstance: {
    icpc2: ['P15', 'P16', 'P18', 'P19', 'P72', 'P73', 'P98'],
    icd10: [
      'F10', 'F11', 'F12', 'F13', 'F14', 'F15', 'F16', 'F18', 'F19',
      'F20', 'F21', 'F22', 'F23', 'F24', 'F25', 'F26', 'F27', 'F28', 'F29',
      'F30', 'F31',
    ],
  },
  dementia: { icpc2: ['P70'], icd10: ['F00', 'F01', 'F02', 'F03', 'G30'] },
  disability: {
    icpc2: [
      'P85',
      'A28', 'B28', 'D28', 'F28', 'H28', 'K28', 'L28', 'N28', 'P28', 'R28', 'S28', 'T28', 'U28', 'W28', 'X28', 'Y28', 'Z28',
    ],
    icd10: ['F70', 'F71', 'F72', 'F73', 'F74', 'F75', 'F76', 'F77', 'F78', 'F79', 'F84', 'G80', 'Q90', 'Q91', 'Q92', 'Q93'],
  },
  thresholds: {
    polypharmacyMinAtc: 4,
    chronicMinDiseases: 2,
    frailAge: 85,
    frailAgeWithCriteria: 75,
    frailtyScoreMin: 5,
    lookbackDays: 365,
  },
});

// The default is shared by every caller (and its compiled lookup maps are cached per object), so it
// must not be changed in place: a practice's variant is a copy.
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
