// The clinical content of the synthetic list: which conditions, at what prevalence by age, coded how, and
// which drugs go with them. Prevalences are rough Norwegian GP-list figures, tuned so that SPEC §3's
// default rules find 7-10 % of the list (see test/unit/seed/targetGroups.test.ts).

export type Sex = 'male' | 'female';

/** A code pair: ICPC-2 (Norwegian term) and ICD-10 (with the dot; the seed also writes it without). */
export interface ConditionCode {
  readonly icpc?: readonly [code: string, display: string];
  readonly icd?: readonly [code: string, display: string];
}

export type DiseaseKey =
  | 'diabetes1' | 'diabetes2' | 'kols' | 'heartFailure' | 'asthma' | 'ihd' | 'af' | 'hypertension' | 'stroke'
  | 'parkinson' | 'epilepsy' | 'ra'
  | 'schizophrenia' | 'bipolar' | 'alcohol' | 'drugs'
  | 'dementia'
  | 'intellectualDisability' | 'autism' | 'cerebralPalsy' | 'down' | 'mobilityLimitation'
  | 'depression' | 'anxiety' | 'tobacco' | 'hypothyroidism' | 'osteoarthritis' | 'backPain' | 'hyperlipidaemia';

export interface DiseaseDef {
  readonly key: DiseaseKey;
  readonly codes: readonly ConditionCode[];
  /** ATC codes of drugs that treat it; the patient takes some of them. */
  readonly drugs: readonly string[];
  /** Chance that a person of this age and sex has it active. */
  readonly prevalence: (age: number, sex: Sex) => number;
  /** Chance to be admitted to hospital in a year because of it (added to the base rate). */
  readonly admissionRate: number;
}

/** Piecewise prevalence: [fromAge, p] rows, ascending; the last row whose fromAge <= age applies. */
function byAge(rows: readonly (readonly [number, number])[]): (age: number) => number {
  return (age) => {
    let p = 0;
    for (const [from, value] of rows) if (age >= from) p = value;
    return p;
  };
}

const def = (
  key: DiseaseKey,
  codes: readonly ConditionCode[],
  drugs: readonly string[],
  rows: readonly (readonly [number, number])[],
  admissionRate = 0,
  sexFactor: Partial<Record<Sex, number>> = {},
): DiseaseDef => {
  const p = byAge(rows);
  return { key, codes, drugs, admissionRate, prevalence: (age, sex) => p(age) * (sexFactor[sex] ?? 1) };
};

export const DISEASES: readonly DiseaseDef[] = [
  def('diabetes1', [{ icpc: ['T89', 'Diabetes type 1'], icd: ['E10.9', 'Diabetes mellitus type 1 uten komplikasjoner'] }],
    ['A10AB05', 'A10AE04'], [[2, 0.003], [10, 0.005]], 0.05),
  def('diabetes2', [{ icpc: ['T90', 'Diabetes type 2'], icd: ['E11.9', 'Diabetes mellitus type 2 uten komplikasjoner'] }],
    ['A10BA02', 'A10BK01', 'A10BJ06', 'C10AA05'], [[25, 0.006], [40, 0.03], [50, 0.05], [60, 0.085], [75, 0.11]], 0.06),
  def('kols', [{ icpc: ['R95', 'Kronisk obstruktiv lungesykdom'], icd: ['J44.9', 'Kronisk obstruktiv lungesykdom, uspesifisert'] }],
    ['R03AL03', 'R03AC02', 'R03BB04'], [[40, 0.008], [55, 0.025], [65, 0.04], [75, 0.055]], 0.2),
  def('heartFailure', [{ icpc: ['K77', 'Hjertesvikt'], icd: ['I50.9', 'Hjertesvikt, uspesifisert'] }],
    ['C03CA01', 'C07AB07', 'C09DX04', 'C03DA01'], [[50, 0.004], [65, 0.015], [75, 0.04], [85, 0.08]], 0.3),
  def('asthma', [{ icpc: ['R96', 'Astma'], icd: ['J45.9', 'Astma, uspesifisert'] }],
    ['R03AK06', 'R03AC02', 'R03BA02'], [[3, 0.05], [18, 0.05], [60, 0.04]], 0.02),
  def('ihd', [{ icpc: ['K74', 'Angina pectoris'], icd: ['I20.9', 'Angina pectoris, uspesifisert'] },
    { icpc: ['K76', 'Iskemisk hjertesykdom, kronisk'], icd: ['I25.9', 'Kronisk iskemisk hjertesykdom, uspesifisert'] }],
    ['B01AC06', 'C10AA01', 'C07AB02', 'C01DA02'], [[40, 0.008], [55, 0.03], [65, 0.06], [75, 0.1]], 0.08, { male: 1.4, female: 0.7 }),
  def('af', [{ icpc: ['K78', 'Atrieflimmer/flutter'], icd: ['I48.9', 'Atrieflimmer og atrieflutter, uspesifisert'] }],
    ['B01AF02', 'B01AF01', 'C07AB02'], [[45, 0.01], [60, 0.035], [70, 0.07], [80, 0.12]], 0.06),
  def('hypertension', [{ icpc: ['K86', 'Hypertensjon ukomplisert'], icd: ['I10', 'Essensiell (primær) hypertensjon'] },
    { icpc: ['K87', 'Hypertensjon med komplikasjoner'], icd: ['I11.9', 'Hypertensiv hjertesykdom uten hjertesvikt'] }],
    ['C09AA05', 'C08CA01', 'C09CA06', 'C03AA03'], [[30, 0.015], [40, 0.05], [50, 0.11], [60, 0.2], [70, 0.3], [80, 0.36]]),
  def('stroke', [{ icpc: ['K90', 'Hjerneslag'], icd: ['I63.9', 'Hjerneinfarkt, uspesifisert'] },
    { icpc: ['K90', 'Hjerneslag'], icd: ['I69.4', 'Følgetilstander etter hjerneslag'] }],
    ['B01AC04', 'C10AA05'], [[45, 0.004], [60, 0.015], [70, 0.03], [80, 0.06]], 0.1),
  def('parkinson', [{ icpc: ['N87', 'Parkinsonisme'], icd: ['G20', 'Parkinsons sykdom'] }],
    ['N04BA02', 'N04BC05'], [[55, 0.002], [65, 0.006], [75, 0.013]], 0.1),
  def('epilepsy', [{ icpc: ['N88', 'Epilepsi'], icd: ['G40.9', 'Epilepsi, uspesifisert'] }],
    ['N03AX09', 'N03AX14'], [[1, 0.004], [18, 0.006]], 0.05),
  def('ra', [{ icpc: ['L88', 'Revmatoid artritt'], icd: ['M06.9', 'Revmatoid artritt, uspesifisert'] },
    { icpc: ['L88', 'Revmatoid artritt'], icd: ['M05.8', 'Annen seropositiv revmatoid artritt'] }],
    ['L04AX03', 'H02AB06', 'A11CC05'], [[25, 0.003], [45, 0.007], [60, 0.01]], 0.03, { female: 1.5, male: 0.5 }),
  def('schizophrenia', [{ icpc: ['P72', 'Schizofreni'], icd: ['F20.0', 'Paranoid schizofreni'] }],
    ['N05AH03', 'N05AX08'], [[18, 0.0025], [70, 0.0015]], 0.1),
  def('bipolar', [{ icpc: ['P73', 'Affektiv psykose'], icd: ['F31.9', 'Bipolar affektiv lidelse, uspesifisert'] }],
    ['N05AN01', 'N03AX09'], [[18, 0.004], [70, 0.002]], 0.06),
  def('alcohol', [{ icpc: ['P15', 'Kronisk alkoholmisbruk'], icd: ['F10.2', 'Psykiske lidelser og atferdsforstyrrelser som skyldes bruk av alkohol, avhengighetssyndrom'] },
    { icpc: ['P16', 'Akutt alkoholmisbruk'], icd: ['F10.1', 'Psykiske lidelser og atferdsforstyrrelser som skyldes bruk av alkohol, skadelig bruk'] }],
    ['N07BB01', 'N07BB04'], [[20, 0.005], [40, 0.008], [70, 0.004]], 0.08, { male: 1.5, female: 0.6 }),
  def('drugs', [{ icpc: ['P19', 'Misbruk av stoffer'], icd: ['F11.2', 'Psykiske lidelser og atferdsforstyrrelser som skyldes bruk av opioider, avhengighetssyndrom'] },
    { icpc: ['P19', 'Misbruk av stoffer'], icd: ['F12.2', 'Psykiske lidelser og atferdsforstyrrelser som skyldes bruk av cannabinoider, avhengighetssyndrom'] },
    { icpc: ['P18', 'Medikamentmisbruk'], icd: ['F13.2', 'Psykiske lidelser og atferdsforstyrrelser som skyldes bruk av sedativer eller hypnotika, avhengighetssyndrom'] }],
    ['N07BC51', 'N07BC02'], [[18, 0.003], [30, 0.004], [60, 0.001]], 0.08, { male: 1.5, female: 0.6 }),
  def('dementia', [{ icpc: ['P70', 'Demens'], icd: ['F03', 'Uspesifisert demens'] },
    { icpc: ['P70', 'Demens'], icd: ['G30.9', 'Alzheimers sykdom, uspesifisert'] },
    { icpc: ['P70', 'Demens'], icd: ['F00.1', 'Demens ved Alzheimers sykdom med sen debut'] }],
    ['N06DA02', 'N06DX01'], [[65, 0.012], [75, 0.04], [85, 0.16]], 0.12),
  def('intellectualDisability', [{ icpc: ['P85', 'Psykisk utviklingshemming'], icd: ['F70.9', 'Lett psykisk utviklingshemming'] },
    { icpc: ['P85', 'Psykisk utviklingshemming'], icd: ['F71.9', 'Moderat psykisk utviklingshemming'] }],
    [], [[2, 0.003]], 0.03),
  def('autism', [{ icd: ['F84.0', 'Autisme i barndommen'] }], [], [[3, 0.003], [30, 0.0012]]),
  def('cerebralPalsy', [{ icd: ['G80.9', 'Cerebral parese, uspesifisert'] }], [], [[1, 0.0015]], 0.03),
  def('down', [{ icd: ['Q90.9', 'Downs syndrom, uspesifisert'] }], [], [[0, 0.0007]], 0.03),
  def('mobilityLimitation', [{ icpc: ['L28', 'Funksjonsnedsettelse bevegelsesapparat'] },
    { icpc: ['N28', 'Funksjonsnedsettelse nervesystem'] }, { icpc: ['K28', 'Funksjonsnedsettelse hjerte-kar'] },
    { icpc: ['F28', 'Funksjonsnedsettelse øye'] }],
    [], [[30, 0.001], [60, 0.003], [75, 0.015]]),
  // Common conditions that must NOT make anyone a candidate on their own (SPEC §3).
  def('depression', [{ icpc: ['P76', 'Depresjon'], icd: ['F32.9', 'Depressiv episode, uspesifisert'] }],
    ['N06AB06', 'N06AB04', 'N06AX11'], [[14, 0.03], [18, 0.08], [65, 0.06]]),
  def('anxiety', [{ icpc: ['P74', 'Angstlidelse'], icd: ['F41.1', 'Generalisert angstlidelse'] }],
    ['N06AB10'], [[12, 0.02], [18, 0.06], [70, 0.04]]),
  def('tobacco', [{ icpc: ['P17', 'Tobakkmisbruk'], icd: ['F17.2', 'Psykiske lidelser og atferdsforstyrrelser som skyldes bruk av tobakk, avhengighetssyndrom'] }],
    ['N07BA03'], [[18, 0.03], [60, 0.04]]),
  def('hypothyroidism', [{ icpc: ['T86', 'Hypotyreose/myksødem'], icd: ['E03.9', 'Hypotyreose, uspesifisert'] }],
    ['H03AA01'], [[20, 0.02], [50, 0.05], [70, 0.08]], 0, { female: 1.6, male: 0.4 }),
  def('osteoarthritis', [{ icpc: ['L89', 'Hofteleddsartrose'], icd: ['M16.9', 'Koksartrose, uspesifisert'] },
    { icpc: ['L90', 'Kneleddsartrose'], icd: ['M17.9', 'Gonartrose, uspesifisert'] }],
    ['N02BE01', 'M01AE01'], [[45, 0.04], [60, 0.1], [75, 0.18]], 0.02),
  def('backPain', [{ icpc: ['L84', 'Ryggsyndrom uten smerteutstråling'] }], ['N02BE01'], [[20, 0.03]]),
  def('hyperlipidaemia', [{ icpc: ['T93', 'Lipidforstyrrelse'], icd: ['E78.0', 'Ren hyperkolesterolemi'] }],
    ['C10AA05', 'C10AA01'], [[40, 0.04], [55, 0.1], [70, 0.12]]),
];

export const DISEASE_BY_KEY: ReadonlyMap<DiseaseKey, DiseaseDef> = new Map(DISEASES.map((d) => [d.key, d]));

/** Drugs common in old age that come without a listed diagnosis (they drive polypharmacy). */
export const ELDERLY_DRUGS: readonly string[] = ['A02BC01', 'N02BE01', 'A12AX', 'N05CF01', 'B03BA01', 'A06AD11', 'B01AC06', 'C03CA01'];

/** ATC code -> Norwegian substance name (display). */
export const ATC_DISPLAY: Readonly<Record<string, string>> = {
  A10AB05: 'insulin aspart', A10AE04: 'insulin glargin', A10BA02: 'metformin', A10BK01: 'dapagliflozin',
  A10BJ06: 'semaglutid', C10AA05: 'atorvastatin', C10AA01: 'simvastatin', R03AL03: 'vilanterol og umeklidinium',
  R03AC02: 'salbutamol', R03BB04: 'tiotropium', R03AK06: 'salmeterol og flutikason', R03BA02: 'budesonid',
  C03CA01: 'furosemid', C07AB07: 'bisoprolol', C09DX04: 'valsartan og sakubitril', C03DA01: 'spironolakton',
  B01AC06: 'acetylsalisylsyre', C07AB02: 'metoprolol', C01DA02: 'glyseroltrinitrat', B01AF02: 'apiksaban',
  B01AF01: 'rivaroksaban', C09AA05: 'ramipril', C08CA01: 'amlodipin', C09CA06: 'kandesartan',
  C03AA03: 'hydroklortiazid', B01AC04: 'klopidogrel', N04BA02: 'levodopa og dekarboksylasehemmer',
  N04BC05: 'pramipeksol', N03AX09: 'lamotrigin', N03AX14: 'levetiracetam', L04AX03: 'metotreksat',
  H02AB06: 'prednisolon', A11CC05: 'kolekalsiferol', N05AH03: 'olanzapin', N05AX08: 'risperidon',
  N05AN01: 'litium', N07BB01: 'disulfiram', N07BB04: 'naltrekson', N07BC51: 'buprenorfin, kombinasjoner',
  N07BC02: 'metadon', N06DA02: 'donepezil', N06DX01: 'memantin', N06AB06: 'sertralin', N06AB04: 'citalopram',
  N06AX11: 'mirtazapin', N06AB10: 'escitalopram', N07BA03: 'vareniklin', H03AA01: 'levotyroksinnatrium',
  N02BE01: 'paracetamol', M01AE01: 'ibuprofen', A02BC01: 'omeprazol', A12AX: 'kalsium, kombinasjoner med vitamin D',
  N05CF01: 'zopiklon', B03BA01: 'cyanokobalamin', A06AD11: 'laktulose', J01CE02: 'fenoksymetylpenicillin',
  J01CA08: 'pivmecillinam', J01AA02: 'doksysyklin', R05DA04: 'kodein',
};

/** Short courses that end (MedicationStatement status completed). */
export const SHORT_COURSE_DRUGS: readonly string[] = ['J01CE02', 'J01CA08', 'J01AA02', 'R05DA04'];
