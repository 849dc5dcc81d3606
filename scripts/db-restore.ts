// `npm run db:restore -- FILE`: restores a backup from `npm run db:backup` into an empty database (migrations
// are applied first; a database that already has data is refused, and a failed restore leaves nothing behind).
import { databaseConfigFromEnv, openDatabase } from '../server/db/database';
import { restoreDatabase } from '../server/db/backup';

const file = process.argv[2];
if (!file) {
  console.error('Bruk: npm run db:restore -- FIL');
  process.exit(1);
}
try {
  const app = await openDatabase(databaseConfigFromEnv());
  try {
    const counts = await restoreDatabase(app.db, file);
    console.log(`Gjenopprettet fra ${file}: ${Object.entries(counts).map(([t, n]) => `${t} ${n}`).join(', ') || 'ingen rader'}`);
  } finally {
    await app.close();
  }
} catch (error) {
  console.error(`db:restore feilet: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
