// The smallest count the evaluation export shows (SPEC §7; seed ch. 7): counts 1-4 are suppressed so no
// small group can be recognised. The export itself is src/domain/financing/evaluation.ts.
export const MIN_CELL = 5;
