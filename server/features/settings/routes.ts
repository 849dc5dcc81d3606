// GET/PUT /api/settings (issue 15): everyone in the practice reads its settings; only the daglig leder
// writes them. The body is checked with the settings schema (400 with a Norwegian message naming the field,
// nothing stored), the write is optimistic (409 with what is stored now when someone saved in between), and
// every change is written to the audit log in the same transaction.
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { SETTING_LABELS, parseSettingsUpdate, type PracticeSettings } from '../../../src/domain/settings';
import type { Database } from '../../db/schema';
import type { ResolveActor } from '../../epj/actor';
import { problem } from '../../http/json';
import { appendAudit } from '../audit/store';
import { getSettings, saveSettings } from './store';

/** Kept for slices written against this path; new code imports it from server/epj/actor. */
export type { ResolveActor };

export interface SettingsDeps {
  db: Kysely<Database>;
  actor: ResolveActor;
  now: () => number;
}

export function settingsRoutes(deps: SettingsDeps): Hono {
  const app = new Hono();

  app.get('/', async (c) => {
    const r = await deps.actor(c);
    if ('response' in r) return r.response;
    return c.json(await getSettings(deps.db, r.actor.practiceId));
  });

  app.put('/', async (c) => {
    const r = await deps.actor(c);
    if ('response' in r) return r.response;
    const { actor } = r;
    if (!(actor.role === 'gp' && actor.practiceManager)) return problem(c, 403, 'Bare daglig leder kan endre praksisens innstillinger.');
    if (!/^application\/json\b/.test(c.req.header('content-type') ?? '')) return problem(c, 415, 'Innstillingene må sendes som JSON.');
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return problem(c, 400, 'Forespørselen er ikke gyldig JSON.');
    }
    const parsed = parseSettingsUpdate(body);
    if (!parsed.ok) return problem(c, 400, parsed.message, { field: parsed.field });
    const at = new Date(deps.now());
    const result = await deps.db.transaction().execute(async (tx) => {
      const before = await getSettings(tx, actor.practiceId);
      const saved = await saveSettings(tx, actor.practiceId, parsed.value.settings, { expectedVersion: parsed.value.version, by: actor.user, at });
      if (saved.ok) {
        const changed = (Object.keys(SETTING_LABELS) as (keyof PracticeSettings)[]).filter(
          (k) => JSON.stringify(before.settings[k]) !== JSON.stringify(parsed.value.settings[k]),
        );
        await appendAudit(tx, {
          practiceId: actor.practiceId,
          actor: actor.user,
          role: 'daglig-leder',
          action: 'change-settings',
          what: `innstillinger versjon ${saved.stored.version}: ${changed.join(', ') || 'ingen endring'}`,
          at,
        });
      }
      return saved;
    });
    if (!result.ok) {
      return problem(c, 409, 'Innstillingene er endret av noen andre siden du åpnet dem. Se gjennom de nye verdiene og lagre på nytt.', {
        current: result.current,
      });
    }
    return c.json(result.stored);
  });

  return app;
}
