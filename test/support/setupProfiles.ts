// Vitest globalSetup of the unit tier: compiles the FHIR profiles (SUSHI, 10-15 s) once per run, before any
// test starts, so no test pays for it inside its time budget. A no-op when fsh-generated/ is fresh.
import { buildProfiles } from '../../scripts/build-profiles.ts';

export default function setup(): void {
  const result = buildProfiles({ ifStale: true });
  if (result.errors > 0) throw new Error(`SUSHI: ${result.errors} feil\n${result.output}`);
}
