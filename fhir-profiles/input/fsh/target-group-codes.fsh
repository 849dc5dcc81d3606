// Code lists of the default target-group rule set (SPEC §3). The app's rule set is
// src/domain/targetGroups/ruleSet.ts (DEFAULT_RULE_SET); test/unit/profiles/valuesets-match-rules.test.ts
// fails when the two differ in either direction. Change both together.
// ICD-10 codes are 3-character categories (ranges expanded): a coding matches when its category (first three
// characters, dot removed, case-insensitive) is listed, so E11.9 and E119 match E11. ICPC-2 and ICD-10 are
// external code systems, so their codes are enumerated and not checked by SUSHI.

RuleSet: PhtCodeList
* insert PhtValueSet
* ^version = "2026.1"
* ^immutable = false

ValueSet: PhtChronicDiabetesVS
Id: pht-chronic-diabetes
Title: "PHT chronic disease: diabetes (key)"
Description: "Diabetes mellitus. A key disease of the `chronic` target group."
* insert PhtCodeList
* $icpc2#T89 "Diabetes type 1"
* $icpc2#T90 "Diabetes type 2"
* $icd10no#E10 "Diabetes mellitus type 1"
* $icd10no#E11 "Diabetes mellitus type 2"

ValueSet: PhtChronicKolsVS
Id: pht-chronic-kols
Title: "PHT chronic disease: KOLS (key)"
Description: "Chronic obstructive pulmonary disease. A key disease of the `chronic` target group."
* insert PhtCodeList
* $icpc2#R95 "Kronisk obstruktiv lungesykdom"
* $icd10no#J44 "Annen kronisk obstruktiv lungesykdom"

ValueSet: PhtChronicHeartFailureVS
Id: pht-chronic-heart-failure
Title: "PHT chronic disease: heart failure (key)"
Description: "Heart failure. A key disease of the `chronic` target group."
* insert PhtCodeList
* $icpc2#K77 "Hjertesvikt"
* $icd10no#I50 "Hjertesvikt"

ValueSet: PhtChronicAsthmaVS
Id: pht-chronic-asthma
Title: "PHT chronic disease: asthma"
Description: "Asthma."
* insert PhtCodeList
* $icpc2#R96 "Astma"
* $icd10no#J45 "Astma"

ValueSet: PhtChronicIhdVS
Id: pht-chronic-ihd
Title: "PHT chronic disease: ischaemic heart disease"
Description: "Ischaemic heart disease."
* insert PhtCodeList
* $icpc2#K74 "Angina pectoris"
* $icpc2#K76 "Iskemisk hjertesykdom uten angina"
* $icd10no#I20 "Angina pectoris"
* $icd10no#I25 "Kronisk iskemisk hjertesykdom"

ValueSet: PhtChronicAtrialFibrillationVS
Id: pht-chronic-atrial-fibrillation
Title: "PHT chronic disease: atrial fibrillation"
Description: "Atrial fibrillation and flutter."
* insert PhtCodeList
* $icpc2#K78 "Atrieflimmer/flutter"
* $icd10no#I48 "Atrieflimmer og atrieflutter"

ValueSet: PhtChronicHypertensionVS
Id: pht-chronic-hypertension
Title: "PHT chronic disease: hypertension"
Description: "Hypertension."
* insert PhtCodeList
* $icpc2#K86 "Hypertensjon ukomplisert"
* $icpc2#K87 "Hypertensjon komplisert"
* $icd10no#I10 "Essensiell (primær) hypertensjon"
* $icd10no#I11 "Hypertensiv hjertesykdom"
* $icd10no#I12 "Hypertensiv nyresykdom"
* $icd10no#I13 "Hypertensiv hjerte- og nyresykdom"
* $icd10no#I15 "Sekundær hypertensjon"

ValueSet: PhtChronicStrokeVS
Id: pht-chronic-stroke
Title: "PHT chronic disease: stroke"
Description: "Stroke and its sequelae."
* insert PhtCodeList
* $icpc2#K90 "Hjerneslag"
* $icd10no#I60 "Subaraknoidalblødning"
* $icd10no#I61 "Intracerebral blødning"
* $icd10no#I63 "Hjerneinfarkt"
* $icd10no#I64 "Akutt hjerneslag, ikke spesifisert som blødning eller infarkt"
* $icd10no#I69 "Sequele etter hjernekarsykdom"

ValueSet: PhtChronicParkinsonismVS
Id: pht-chronic-parkinsonism
Title: "PHT chronic disease: parkinsonism"
Description: "Parkinsonism."
* insert PhtCodeList
* $icpc2#N87 "Parkinsonisme"
* $icd10no#G20 "Parkinsons sykdom"

ValueSet: PhtChronicEpilepsyVS
Id: pht-chronic-epilepsy
Title: "PHT chronic disease: epilepsy"
Description: "Epilepsy."
* insert PhtCodeList
* $icpc2#N88 "Epilepsi"
* $icd10no#G40 "Epilepsi"

ValueSet: PhtChronicRheumatoidArthritisVS
Id: pht-chronic-rheumatoid-arthritis
Title: "PHT chronic disease: rheumatoid arthritis"
Description: "Rheumatoid arthritis."
* insert PhtCodeList
* $icpc2#L88 "Revmatoid artritt"
* $icd10no#M05 "Seropositiv revmatoid artritt"
* $icd10no#M06 "Annen revmatoid artritt"

ValueSet: PhtMentalSubstanceVS
Id: pht-mental-substance
Title: "PHT target group codes: mental illness and substance dependence"
Description: "The `mental-substance` target group: ICPC-2 P15 P16 P18 P19 P72 P73 P98; ICD-10 F10-F16, F18, F19 (not F17, tobacco), F20-F29, F30, F31. Depression and anxiety alone do not qualify."
* insert PhtCodeList
* $icpc2#P15 "Kronisk alkoholmisbruk"
* $icpc2#P16 "Akutt alkoholmisbruk"
* $icpc2#P18 "Medikamentmisbruk"
* $icpc2#P19 "Stoffmisbruk"
* $icpc2#P72 "Schizofreni"
* $icpc2#P73 "Affektiv psykose"
* $icpc2#P98 "Psykose IKA"
* $icd10no#F10
* $icd10no#F11
* $icd10no#F12
* $icd10no#F13
* $icd10no#F14
* $icd10no#F15
* $icd10no#F16
* $icd10no#F18
* $icd10no#F19
* $icd10no#F20
* $icd10no#F21
* $icd10no#F22
* $icd10no#F23
* $icd10no#F24
* $icd10no#F25
* $icd10no#F26
* $icd10no#F27
* $icd10no#F28
* $icd10no#F29
* $icd10no#F30
* $icd10no#F31

ValueSet: PhtDementiaVS
Id: pht-dementia
Title: "PHT codes: dementia"
Description: "Dementia, a frailty sign of the `frail-elderly` target group: ICPC-2 P70; ICD-10 F00-F03, G30."
* insert PhtCodeList
* $icpc2#P70 "Demens"
* $icd10no#F00
* $icd10no#F01
* $icd10no#F02
* $icd10no#F03
* $icd10no#G30 "Alzheimers sykdom"

ValueSet: PhtDisabilityVS
Id: pht-disability
Title: "PHT target group codes: intellectual disability and functional impairment"
Description: "The `disability` target group: ICPC-2 P85 and every -28 functional-limitation code; ICD-10 F70-F79, F84, G80, Q90-Q93."
* insert PhtCodeList
* $icpc2#P85 "Psykisk utviklingshemming"
* $icpc2#A28
* $icpc2#B28
* $icpc2#D28
* $icpc2#F28
* $icpc2#H28
* $icpc2#K28
* $icpc2#L28
* $icpc2#N28
* $icpc2#P28
* $icpc2#R28
* $icpc2#S28
* $icpc2#T28
* $icpc2#U28
* $icpc2#W28
* $icpc2#X28
* $icpc2#Y28
* $icpc2#Z28
* $icd10no#F70
* $icd10no#F71
* $icd10no#F72
* $icd10no#F73
* $icd10no#F74
* $icd10no#F75
* $icd10no#F76
* $icd10no#F77
* $icd10no#F78
* $icd10no#F79
* $icd10no#F84
* $icd10no#G80
* $icd10no#Q90
* $icd10no#Q91
* $icd10no#Q92
* $icd10no#Q93
