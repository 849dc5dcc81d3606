// /api/jobs (issue 15 item 4), for the daglig leder: GET /status lists each job's last run (time, result), the
// open warnings (e.g. the 14-day claims warning) and the journal write-back backlog; POST /<job>/run queues a
// run now for the practice (the manual rescan); POST /write-back/retry sends failed journal write-backs again.
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Actor, ResolveActor } from '../epj/actor';
import { lastRuns } from './queue';
import type { Scheduler } from './scheduler';
import { openWarnings } from './warnings';
import { WRITE_BACK_JOB, retryFailedWriteBacks, writeBackBacklog } from './writeBack';


export interface JobRoutesDeps {
  db: Kysely<Database>;
  actor: ResolveActor;
  now: () => number;
  jobs: Pick<Scheduler, 'jobNames' | 'runNow' | 'nudge'>;
}

const isManager = (a: Actor) => a.role === 'gp' && a.practiceManager;
const NOT_MANAGER = 'Bare daglig leder kan se og styre de planlagte jobbene.';

export function jobRoutes(deps: JobRoutesDeps): Hono {
  const app = new Hono();

  app.get('/status', async (c) => {
    const r = await deps.actor(c);
    if ('response' in r) return r.response;
    if (!isManager(r.actor)) return c.json({ error: NOT_MANAGER }, 403);
    const practiceId = r.actor.practiceId;
    const [runs, warnings, writeBack] = await Promise.all([lastRuns(deps.db, practiceId), openWarnings(deps.db, practiceId), writeBackBacklog(deps.db, practiceId)]);
    return c.json({ runs, warnings, writeBack });
  });

  app.post('/write-back/retry', async (c) => {
    const r = await deps.actor(c);
    if ('response' in r) return r.response;
    if (!isManager(r.actor)) return c.json({ error: NOT_MANAGER }, 403);
    const retried = await retryFailedWriteBacks(deps.db, r.actor.practiceId, new Date(deps.now()));
    if (retried > 0) deps.jobs.nudge(WRITE_BACK_JOB, r.actor.practiceId);
    return c.json({ retried });
  });

  app.post('/:job/run', async (c) => {
    const r = await deps.actor(c);
    if ('response' in r) return r.response;
    if (!isManager(r.actor)) return c.json({ error: NOT_MANAGER }, 403);
    const job = c.req.param('job');
    if (!deps.jobs.jobNames.includes(job)) return c.json({ error: `Det finnes ingen jobb som heter «${job}».`, field: 'job' }, 404);
    const runs = await deps.jobs.runNow(job, r.actor.practiceId);
    return c.json({ queued: runs }, 202);
  });

  return app;
}
