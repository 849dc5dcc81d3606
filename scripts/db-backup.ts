// `npm run db:backup -- FILE`: writes a logical backup (JSON Lines, server/db/backup.ts) of the app's tables.
// Works the same on PGlite and PostgreSQL; restore with `npm run db:restore -- FILE` into an empty database.
import { databaseConfigFromEnv, openDatabase } from '../server/db/database';
import { backupDatabase } from '../server/db/backup';

const file = process.argv[2];
if (!file) {
  console.error('Bruk: npm run db:backup -- FIL');
  process.exit(1);
}
try {
  const app = await openDatabase(databaseConfigFromEnv());
  try {
    const counts = await backupDatabase(app.db, file);
    console.log(`Sikkerhetskopi skrevet til ${file}: ${Object.entries(counts).map(([t, n]) => `${t} ${n}`).join(', ')}`);
  } finally {
    await app.close();
  }
} catch (error) {
  console.error(`db:backup feilet: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
