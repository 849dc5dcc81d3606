// Code systems the target-group rules read, matched by URI or OID (SPEC §3). The FHIR mappers reuse
// `codeSystemKind` to tell which codings the rules can use.

export type CodeSystemKind = 'icpc2' | 'icd10' | 'atc';

export const CODE_SYSTEM_URIS: Readonly<Record<CodeSystemKind, readonly string[]>> = {
  icpc2: ['http://hl7.org/fhir/sid/icpc-2', 'urn:oid:2.16.578.1.12.4.1.1.7170'],
  icd10: ['urn:oid:2.16.578.1.12.4.1.1.7110', 'http://hl7.org/fhir/sid/icd-10-no', 'http://hl7.org/fhir/sid/icd-10'],
  atc: ['http://www.whocc.no/atc', 'urn:oid:2.16.578.1.12.4.1.1.7180'],
};

/** Label shown in evidence, e.g. 'ICPC-2 T90'. */
export const CODE_SYSTEM_LABELS: Readonly<Record<CodeSystemKind, string>> = {
  icpc2: 'ICPC-2',
  icd10: 'ICD-10',
  atc: 'ATC',
};

const EXACT = new Map<string, CodeSystemKind>();
const LOOSE = new Map<string, CodeSystemKind>();
for (const kind of ['icpc2', 'icd10', 'atc'] as const) {
  for (const uri of CODE_SYSTEM_URIS[kind]) {
    EXACT.set(uri, kind);
    LOOSE.set(looseKey(uri), kind);
  }
}

// Tolerates what journal exports do to a URI: surrounding spaces, upper case, a trailing slash.
function looseKey(system: string): string {
  const s = system.trim().toLowerCase();
  return s.endsWith('/') ? s.slice(0, -1) : s;
}

/** Which of the known code systems a coding's `system` names, or undefined. */
export function codeSystemKind(system: string | undefined): CodeSystemKind | undefined {
  if (typeof system !== 'string') return undefined;
  return EXACT.get(system) ?? LOOSE.get(looseKey(system));
}

/** Trimmed, upper-case code as it is shown in evidence. */
export function normalizeCode(code: string): string {
  // Fast path: most journal codes are already clean, so avoid allocating a copy.
  for (let i = 0; i < code.length; i++) {
    const ch = code.charCodeAt(i);
    if (ch <= 32 || ch >= 97) return code.trim().toUpperCase();
  }
  return code;
}

/**
 * The key a normalised code is looked up with: the 3-character category for ICD-10 (E11, E11.9 and
 * E119 are all E11), and for ICPC-2 the part before any dot (T90.1 -> T90); ATC as is.
 */
export function matchKey(kind: CodeSystemKind, normalized: string): string {
  if (kind === 'icd10') return normalized.slice(0, 3);
  if (kind === 'icpc2') {
    const dot = normalized.indexOf('.');
    return dot < 0 ? normalized : normalized.slice(0, dot);
  }
  return normalized;
}
