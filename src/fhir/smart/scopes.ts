// SMART resource-scope rules as a pure module, shared by the sandbox FHIR server (enforcement) and the
// app (degrading the UI when fewer scopes were granted, SPEC §8). No I/O, no node imports.
// Grammar: SMART App Launch 2.x "Scopes for requesting clinical data": `<context>/<Type|*>.<cruds>`,
// v2 permissions a non-empty ordered subset of `cruds`; v1 `.read`/`.write`/`.*` accepted.

export type Interaction = 'c' | 'r' | 'u' | 'd' | 's';
export type ScopeContext = 'patient' | 'user' | 'system';

export const INTERACTIONS: readonly Interaction[] = ['c', 'r', 'u', 'd', 's'];

export interface ResourceScope {
  raw: string;
  context: ScopeContext;
  /** A resource type or `*`. */
  resourceType: string;
  interactions: Interaction[];
  /**
   * v2 granular query (`patient/Observation.rs?category=laboratory`). Kept for display, but such scopes
   * grant nothing here: honouring them needs a query matcher on every read, and least privilege says
   * an unenforced restriction must not widen access.
   */
  query?: string;
}

export interface ScopeDecision {
  allowed: boolean;
  /** Set when only a `patient/` scope allows it: access is limited to the launch patient's compartment. */
  compartment?: 'patient';
}

const SCOPE_PATTERN = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.([a-z*]+)(\?.*)?$/;
const V1_PERMISSIONS: Record<string, Interaction[]> = {
  read: ['r', 's'],
  write: ['c', 'u', 'd'],
  '*': ['c', 'r', 'u', 'd', 's'],
};

/** Parses one resource scope; undefined for non-resource scopes (`openid`, `launch/patient`) and malformed ones. */
export function parseScope(scope: string): ResourceScope | undefined {
  const match = SCOPE_PATTERN.exec(scope.trim());
  if (!match) return undefined;
  const [, context, resourceType, permissions, query] = match;
  if (!context || !resourceType || !permissions) return undefined;
  const interactions = V1_PERMISSIONS[permissions] ?? parseV2Permissions(permissions);
  if (!interactions) return undefined;
  const parsed: ResourceScope = { raw: scope, context: context as ScopeContext, resourceType, interactions };
  if (query && query.length > 1) parsed.query = query.slice(1);
  return parsed;
}

function parseV2Permissions(permissions: string): Interaction[] | undefined {
  const result: Interaction[] = [];
  let position = 0;
  for (const letter of permissions) {
    const found = INTERACTIONS.indexOf(letter as Interaction, position);
    if (found < 0) return undefined;
    result.push(letter as Interaction);
    position = found + 1;
  }
  return result.length > 0 ? result : undefined;
}

/** Splits a space-separated scope string (as in a token response) or passes a list through. */
export function toScopeList(scopes: string | readonly string[]): string[] {
  return typeof scopes === 'string' ? scopes.split(/\s+/).filter(Boolean) : [...scopes];
}

/**
 * Does the granted set allow `interaction` on `resourceType`? A `user/` or `system/` grant wins over a
 * `patient/` one, because it is not limited to a compartment.
 */
export function scopeAllows(scopes: readonly string[], resourceType: string, interaction: Interaction): ScopeDecision {
  let patientOnly = false;
  for (const raw of scopes) {
    const scope = parseScope(raw);
    if (!scope || scope.query !== undefined) continue;
    if (scope.resourceType !== '*' && scope.resourceType !== resourceType) continue;
    if (!scope.interactions.includes(interaction)) continue;
    if (scope.context === 'patient') patientOnly = true;
    else return { allowed: true };
  }
  return patientOnly ? { allowed: true, compartment: 'patient' } : { allowed: false };
}

export type AccessMap = Record<Interaction, ScopeDecision>;

/** Everything the granted set allows on one resource type; the UI hides what is not allowed. */
export function accessFor(scopes: readonly string[], resourceType: string): AccessMap {
  const entries = INTERACTIONS.map((i) => [i, scopeAllows(scopes, resourceType, i)] as const);
  return Object.fromEntries(entries) as AccessMap;
}

export interface Requirement {
  resourceType: string;
  interaction: Interaction;
}

/** The requirements the granted set does not cover (empty = the feature can run in full). */
export function missingRequirements(scopes: readonly string[], required: readonly Requirement[]): Requirement[] {
  return required.filter((r) => !scopeAllows(scopes, r.resourceType, r.interaction).allowed);
}

/** Resource types (or `*`) named by any granted resource scope, with the interactions granted per context. */
export function summarizeGrants(scopes: readonly string[]): Map<string, Partial<Record<ScopeContext, Interaction[]>>> {
  const summary = new Map<string, Partial<Record<ScopeContext, Interaction[]>>>();
  for (const raw of scopes) {
    const scope = parseScope(raw);
    if (!scope || scope.query !== undefined) continue;
    const entry = summary.get(scope.resourceType) ?? {};
    const merged = new Set([...(entry[scope.context] ?? []), ...scope.interactions]);
    entry[scope.context] = INTERACTIONS.filter((i) => merged.has(i));
    summary.set(scope.resourceType, entry);
  }
  return summary;
}

/** The narrowest v2 scope that would allow the interaction, for a 403 message or a consent screen. */
export function requiredScope(context: ScopeContext, resourceType: string, interaction: Interaction): string {
  return `${context}/${resourceType}.${interaction}`;
}
