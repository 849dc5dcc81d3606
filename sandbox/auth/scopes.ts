// SMART scope rules as a pure module (no I/O), like smart-launcher-v2's ScopeSet: which of the scopes an
// app asks for it gets. SMART App Launch 2.x, "Scopes and launch context" (v2 `cruds` permissions; v1
// `.read`/`.write`/`.*` accepted on request and granted in v2 form).

export type ScopeContext = 'patient' | 'user' | 'system';

/**
 * The non-resource scopes this server understands. `offline_access` is granted only to confidential
 * clients (refresh tokens, RFC 6749 §6); the public browser app is not registered for it.
 */
export const LAUNCH_SCOPES = ['launch', 'launch/patient', 'openid', 'fhirUser', 'offline_access'] as const;

/**
 * What the backend clients (`npm run sweep`, the app server's jobs) are registered for: read everything,
 * manage the follow-up Tasks and candidate Flags the sweep creates (SPEC §3, §4, §8), log what it did, and
 * create the journal notes and ChargeItems the app server's write-back sends (issue 15 item 3). No
 * `system/*.c`: a headless job writes only those types.
 */
export const BACKEND_REGISTERED_SCOPES = 'system/*.rs system/Task.cruds system/Flag.cruds system/AuditEvent.c system/DocumentReference.c system/ChargeItem.c';

export interface ResourceScope {
  context: ScopeContext;
  /** A FHIR resource type or `*`. */
  resourceType: string;
  /** Subset of `cruds`, in that order. */
  permissions: string;
}

const PERMISSION_ORDER = 'cruds';
const V1_PERMISSIONS: Record<string, string> = { read: 'rs', write: 'cud', '*': 'cruds' };
const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.([a-z*]+)$/;

/** Parses `user/Task.crus` (or v1 `user/Task.read`). Undefined for anything else, including v2 query scopes. */
export function parseResourceScope(scope: string): ResourceScope | undefined {
  const match = RESOURCE_SCOPE.exec(scope);
  if (!match) return undefined;
  const [, context, resourceType, rawPermissions] = match;
  if (context === undefined || resourceType === undefined || rawPermissions === undefined) return undefined;
  const v1 = V1_PERMISSIONS[rawPermissions];
  if (v1 !== undefined) return { context: context as ScopeContext, resourceType, permissions: v1 };
  // v2 permissions must be a non-empty subsequence of `cruds` (the spec fixes the order).
  if (!isOrderedSubset(rawPermissions)) return undefined;
  return { context: context as ScopeContext, resourceType, permissions: rawPermissions };
}

function isOrderedSubset(permissions: string): boolean {
  let position = 0;
  for (const letter of permissions) {
    const found = PERMISSION_ORDER.indexOf(letter, position);
    if (found < 0) return false;
    position = found + 1;
  }
  return permissions.length > 0;
}

export function formatResourceScope(scope: ResourceScope): string {
  return `${scope.context}/${scope.resourceType}.${scope.permissions}`;
}

function intersectPermissions(a: string, b: string): string {
  return [...PERMISSION_ORDER].filter((letter) => a.includes(letter) && b.includes(letter)).join('');
}

export function isLaunchScope(scope: string): boolean {
  return (LAUNCH_SCOPES as readonly string[]).includes(scope);
}

export function splitScopes(scope: string | null | undefined): string[] {
  return (scope ?? '').split(/\s+/).filter((s) => s.length > 0);
}

/**
 * Can a registered (allowed) scope's context cover a requested one? The same context, or `user/`
 * covering `patient/`: a patient-compartment grant is a narrower form of the same access (SMART 2.2
 * "patient/ scopes granted to a standalone launch when requested"; the launch needs a patient).
 */
function coversContext(allowed: ScopeContext, wanted: ScopeContext): boolean {
  return allowed === wanted || (allowed === 'user' && wanted === 'patient');
}

/**
 * The requested scopes the registration allows, narrowed to the registered permissions: asking for
 * `user/Task.cruds` when registered for `user/Task.crus` grants `user/Task.crus`. A registered
 * `system/*.rs` covers any type's read/search; a requested wildcard (`patient/*.rs`) is granted as the
 * registered types it covers. Unknown and unregistered scopes are dropped silently (RFC 6749 §3.3: the
 * server may grant less; the app reads the granted `scope` back).
 */
export function grantScopes(requested: string[], registered: string[]): string[] {
  const granted: string[] = [];
  const add = (scope: string) => {
    if (!granted.includes(scope)) granted.push(scope);
  };
  const registeredResources = registered.map(parseResourceScope).filter((s) => s !== undefined);
  for (const scope of requested) {
    if (isLaunchScope(scope)) {
      if (registered.includes(scope)) add(scope);
      continue;
    }
    const wanted = parseResourceScope(scope);
    if (!wanted) continue;
    // Per resource type the permissions granted; '*' only when the registration itself has a wildcard.
    const byType = new Map<string, string>();
    for (const allowed of registeredResources) {
      if (!coversContext(allowed.context, wanted.context)) continue;
      if (allowed.resourceType !== '*' && wanted.resourceType !== '*' && allowed.resourceType !== wanted.resourceType) continue;
      const type = wanted.resourceType === '*' ? allowed.resourceType : wanted.resourceType;
      byType.set(type, (byType.get(type) ?? '') + intersectPermissions(wanted.permissions, allowed.permissions));
    }
    const wildcard = byType.get('*') ?? '';
    for (const [resourceType, permissions] of byType) {
      const merged = [...PERMISSION_ORDER].filter((letter) => permissions.includes(letter)).join('');
      // A type whose permissions the wildcard grant already covers adds nothing.
      const redundant = resourceType !== '*' && [...merged].every((letter) => wildcard.includes(letter));
      if (merged && !redundant) add(formatResourceScope({ context: wanted.context, resourceType, permissions: merged }));
    }
  }
  return granted;
}

/**
 * The launch page's "begrens til pasientkontekst" option: the grant's `user/` scopes become `patient/`
 * scopes, so the FHIR server limits the app to the launch patient's compartment.
 */
export function restrictToPatient(scopes: string[]): string[] {
  return scopes.map((scope) => {
    const parsed = parseResourceScope(scope);
    return parsed?.context === 'user' ? formatResourceScope({ ...parsed, context: 'patient' }) : scope;
  });
}

