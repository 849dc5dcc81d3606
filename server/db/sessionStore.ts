// Sessions in the database (issue 15 item 3): the app server's SessionStore on the app_session table, so a
// session survives a restart and is seen by a second server process on the same database. Keys are stored as
// SHA-256 (a dump of the table reveals no cookie value or launch handle); expiry is a column, and expired rows
// are invisible at once and deleted by cleanupSessions.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SessionStore } from '../smart/store';
import type { Database } from './schema';

const hashKey = (namespace: string, key: string) => createHash('sha256').update(`${namespace}\0${key}`).digest('base64url');

/** One store per kind of value (namespace), all in one table. */
export function pgSessionStore<T>(db: Kysely<Database>, namespace: string, now: () => number = Date.now): SessionStore<T> {
  return {
    async get(key) {
      const row = await db
        .selectFrom('app_session')
        .select('value')
        .where('key', '=', hashKey(namespace, key))
        .where('expires_at', '>', new Date(now()))
        .executeTakeFirst();
      return row ? (row.value as T) : undefined;
    },
    async put(key, value, ttlMs) {
      const row = { key: hashKey(namespace, key), value: JSON.stringify(value), expires_at: new Date(now() + ttlMs) };
      await db
        .insertInto('app_session')
        .values(row)
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, expires_at: row.expires_at }))
        .execute();
    },
    async delete(key) {
      await db.deleteFrom('app_session').where('key', '=', hashKey(namespace, key)).execute();
    },
    async touch(key, ttlMs) {
      await db
        .updateTable('app_session')
        .set({ expires_at: new Date(now() + ttlMs) })
        .where('key', '=', hashKey(namespace, key))
        .where('expires_at', '>', new Date(now()))
        .execute();
    },
  };
}

/** Deletes expired sessions; returns how many. */
export async function cleanupSessions(db: Kysely<Database>, now: number = Date.now()): Promise<number> {
  const result = await db.deleteFrom('app_session').where('expires_at', '<=', new Date(now)).executeTakeFirst();
  return Number(result.numDeletedRows);
}
