import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The Vitest config Stryker runs (`npm run mutation`, stryker.config.json): the domain's unit tests only, without
// the unit tier's globalSetup (the domain tests need no FHIR profiles), so each mutant costs only these tests.
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    include: ['test/unit/domain/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
