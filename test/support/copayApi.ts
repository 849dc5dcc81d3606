// The contact-copay routes as the app server mounts them, with the actor taken from a test header instead of
// a SMART launch (the launch itself is tested in server-launch.test.ts): for API tests, the concurrency
// test's server processes and the bench.
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/db/schema';
import type { Actor } from '../../server/epj/actor';
import { contactCopayRoutes } from '../../server/features/contact-copay/routes';

export const PRACTICE = 'Organization/org-a';
export const ACTORS: Record<string, Actor> = {
  nurse: { practiceId: PRACTICE, user: 'Practitioner/nurse-1', role: 'nurse', practiceManager: false },
  nurse2: { practiceId: PRACTICE, user: 'Practitioner/nurse-2', role: 'nurse', practiceManager: false },
  gp: { practiceId: PRACTICE, user: 'Practitioner/gp-1', role: 'gp', practiceManager: false },
  manager: { practiceId: PRACTICE, user: 'Practitioner/gp-9', role: 'gp', practiceManager: true },
  secretary: { practiceId: PRACTICE, user: 'Practitioner/sec-1', role: 'secretary', practiceManager: false },
  other: { practiceId: 'Organization/org-b', user: 'Practitioner/nurse-7', role: 'nurse', practiceManager: false },
};
export const TEST_ISS = 'https://epj.test/fhir';

/** `gpChargesVisible: false` makes the first egenandel of a patient-day ask «Er pasienten allerede belastet egenandel i dag?». */
export function copayTestApp(db: Kysely<Database>, now: () => number, opts: { gpChargesVisible?: boolean } = {}): Hono {
  const hono = new Hono();
  hono.route(
    '/api/contact-copay',
    contactCopayRoutes({
      db,
      now,
      actor: async (c) => {
        const who = ACTORS[c.req.header('x-test-actor') ?? ''];
        return who ? { actor: who } : { response: c.json({ error: 'Økten er utløpt' }, 401) };
      },
      launchOf: async () => ({ iss: TEST_ISS, chargeItems: true, gpChargesVisible: opts.gpChargesVisible ?? true }),
    }),
  );
  return hono;
}
