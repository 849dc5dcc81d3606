// The app's SMART registration (manifest.json) is the single source for client_id and scopes, so the
// launch requests exactly what the EHR registered (a test checks this).
import manifest from '../../../manifest.json';
import { splitScopes } from './grantedScopes';
import type { LaunchKind } from '../session';

export interface LaunchConfig {
  clientId: string;
  /** Scopes registered for an EHR launch. */
  scopes: readonly string[];
  /** `${origin}/`: the app's root handles the authorization response. */
  redirectUri: string;
}

export function redirectUriFor(origin: string): string {
  return `${origin.replace(/\/+$/, '')}/`;
}

export function appLaunchConfig(origin: string): LaunchConfig {
  return { clientId: manifest.client_id, scopes: splitScopes(manifest.scope), redirectUri: redirectUriFor(origin) };
}

// A standalone launch opens the practice views (inbox, worklist, manager) without a patient: `launch`
// only makes sense with an EHR launch id, and `launch/patient` would ask the server for a patient
// picker (SMART App Launch 2.x "Scopes for requesting context data").
const EHR_ONLY_SCOPES = new Set(['launch', 'launch/patient', 'launch/encounter']);

export function scopesFor(config: LaunchConfig, kind: LaunchKind): string[] {
  return kind === 'ehr' ? [...config.scopes] : config.scopes.filter((s) => !EHR_ONLY_SCOPES.has(s));
}
