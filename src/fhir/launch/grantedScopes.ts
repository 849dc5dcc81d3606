// What the granted SMART scopes allow, for the UI to degrade when the server grants fewer scopes than
// requested (SPEC §8). A thin adapter over src/fhir/smart/scopes.ts, the pure module the sandbox also
// enforces with, so the app and the server never disagree about a scope.
import { scopeAllows as decide, toScopeList, type Interaction } from '../smart/scopes';

export type { Interaction };

/** Splits a space-separated scope string (the token response's `scope`). */
export function splitScopes(scope: string | undefined): string[] {
  return toScopeList(scope ?? '');
}

/** Whether the granted scopes allow an interaction on a resource type (patient/ scopes included). */
export function scopeAllows(scopes: readonly string[], resourceType: string, interaction: Interaction): boolean {
  return decide(scopes, resourceType, interaction).allowed;
}

/** Requested scopes the server did not grant, for telling the user what is missing. */
export function missingScopes(requested: readonly string[], granted: readonly string[]): string[] {
  const grantedSet = new Set(granted);
  return requested.filter((s) => !grantedSet.has(s));
}
