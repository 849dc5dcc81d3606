// LISTEN for a NOTIFY channel on the app's database (the write-back nudge, server/epj/writeBack.ts). PGlite
// delivers notifications in-process; PostgreSQL needs one dedicated connection (a pooled one would be handed
// to queries and lose its LISTEN), which reconnects after a lost connection.
import pg from 'pg';
import type { AppDatabase } from '../db/database';

export type StopListening = () => Promise<void>;

export async function listen(database: AppDatabase, url: string | undefined, channel: string, onPayload: (payload: string) => void, log: (line: string) => void = () => undefined): Promise<StopListening> {
  if (database.pglite) {
    const pglite = database.pglite;
    // Through the Kysely connection, so the LISTEN is not sent inside another caller's open transaction.
    const stop = await database.db.connection().execute(() => pglite.listen(channel, onPayload));
    return () => database.db.connection().execute(() => stop());
  }
  if (!url) throw new Error('LISTEN på PostgreSQL trenger DATABASE_URL');
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => n.channel === channel && onPayload(n.payload ?? ''));
    c.on('error', () => undefined);
    c.on('end', () => {
      if (stopped) return;
      log(`[jobs] LISTEN ${channel}: forbindelsen falt, kobler til igjen`);
      retry = setTimeout(() => void connect().catch(() => undefined), 5000);
      retry.unref();
    });
    await c.connect();
    await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    client = c;
    // A notification sent while we were away is not replayed: the minute tick picks those rows up.
    onPayload('');
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
