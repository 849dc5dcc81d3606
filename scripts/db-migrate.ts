// `npm run db:migrate`: applies the database migrations (server/db/migrations) and exits. The app server also
// runs them at start-up; this is for running them alone (e.g. before starting several server processes).
// Uses DATABASE_URL when set, otherwise PGlite in <PHT_SERVER_DATA_DIR or .pht-data>/db.
import { databaseConfigFromEnv, openDatabase } from '../server/db/database';
import { migrateToLatest } from '../server/db/migrate';

try {
  const config = databaseConfigFromEnv();
  const app = await openDatabase(config, { migrate: false });
  try {
    const applied = await migrateToLatest(app.db);
    console.log(applied.length ? `Migrert (${app.kind}): ${applied.join(', ')}` : `Databasen (${app.kind}) er allerede oppdatert.`);
  } finally {
    await app.close();
  }
} catch (error) {
  console.error(`db:migrate feilet: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
