// Vitest globalSetup of the browser tier: builds dist/ once per run (skipped when it matches the sources),
// so that no browser test file builds inside its hook.
import { buildApp } from '../../scripts/build-app.ts';

export default function setup(): void {
  buildApp({ ifStale: true });
}
