import { defineConfig } from 'vitest/config';

// Three projects (tiers): fast pure/unit tests, integration tests against a real sandbox server on port 0,
// and browser tests in Debian's Chromium driven by playwright-core. `npm test` runs them one after the other
// with their own times; `npm run test:quick` is the unit tier alone.
// Timeouts are safety nets for a loaded 2-core machine, not assertions (issue 13, point 1): expensive shared
// set-up (SUSHI profiles, the app build) happens once in globalSetup, outside every test's budget.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
          environment: 'node',
          globalSetup: ['test/support/setupProfiles.ts'],
          // Component files opt in with `// @vitest-environment happy-dom`. The page is the app's dev origin;
          // the fake EHR (msw, test/support/fakeEhr.ts) is another origin, so no CORS preflight is simulated.
          environmentOptions: { happyDOM: { url: 'http://localhost:5173', settings: { fetch: { disableSameOriginPolicy: true } } } },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/setupBrowser.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          // Two files at a time: each has its own sandbox, app server, database and Chromium on port 0 and
          // temp folders, and most of a browser test is waiting; measured 223-227 s for the tier's 94 tests on
          // this 2-core machine (one file at a time took 268 s for 76 tests before this round's additions).
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
    ],
  },
});
