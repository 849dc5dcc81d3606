// One app-server process for the co-payment concurrency test and bench: the contact-copay routes (as
// server/app.ts mounts them, actor from a test header) over its own connection pool on DATABASE_URL.
// Prints `PORT <n>` when listening; exits on SIGTERM.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { openDatabase } from '../../server/db/database';
import { copayTestApp } from './copayApi';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL mangler');
const app = await openDatabase({ url });
const now = Number(process.env.PHT_TEST_NOW ?? Date.now());
const server = createServer(getRequestListener(copayTestApp(app.db, () => now).fetch));
server.listen(0, '127.0.0.1', () => console.log(`PORT ${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => {
  server.close();
  void app.close().then(() => process.exit(0));
});
