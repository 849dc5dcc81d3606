// Measures the sandbox FHIR server's common searches over HTTP and its seeding/persistence costs.
// Run: npx node --import tsx sandbox/fhir/bench.ts [patients=5000] [conditionsPerPatient=5]
// Deterministic synthetic data (fixed ids and dates, no randomness), so runs are comparable.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { createFhirServer } from './server';

const patients = Number(process.argv[2] ?? 5000);
const perPatient = Number(process.argv[3] ?? 5);
const CODES = ['T90', 'K86', 'R95', 'P76', 'L84'];

function practice(): Resource[] {
  const out: Resource[] = [];
  for (let gp = 0; gp < 10; gp++) out.push({ resourceType: 'Practitioner', id: `gp${gp}`, name: [{ family: `Lege${gp}` }] });
  for (let i = 0; i < patients; i++) {
    const id = `p${i}`;
    const day = String((i % 28) + 1).padStart(2, '0');
    out.push({ resourceType: 'Patient', id, name: [{ family: `Familie${i % 500}`, given: ['Ola'] }], identifier: [{ system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: String(10000000000 + i) }], generalPractitioner: [{ reference: `Practitioner/gp${i % 10}` }] });
    for (let c = 0; c < perPatient; c++) {
      out.push({ resourceType: 'Condition', id: `c${i}-${c}`, subject: { reference: `Patient/${id}` }, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icpc-2', code: CODES[(i + c) % CODES.length] }] }, onsetDateTime: `20${10 + (c % 15)}-03-${day}` });
    }
    out.push({ resourceType: 'Encounter', id: `e${i}`, status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: i % 3 ? 'AMB' : 'VR' }, subject: { reference: `Patient/${id}` }, period: { start: `2025-${String((i % 12) + 1).padStart(2, '0')}-${day}T10:00:00+01:00` } });
    out.push({ resourceType: 'Task', id: `t${i}`, status: i % 4 ? 'completed' : 'requested', intent: 'order', for: { reference: `Patient/${id}` }, owner: { reference: `Practitioner/gp${i % 10}` } });
    if (i % 5 === 0) out.push({ resourceType: 'Flag', id: `f${i}`, status: 'active', code: { text: 'Målgruppe' }, subject: { reference: `Patient/${id}` } });
    if (i % 2 === 0) out.push({ resourceType: 'ChargeItem', id: `ch${i}`, status: 'billable', code: { text: 'Egenandel' }, subject: { reference: `Patient/${id}` } });
  }
  return out;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pht-fhir-bench-'));
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/fhir`;
  const authenticate = async () => ({ kind: 'user' as const, clientId: 'bench', scopes: ['user/*.cruds'], expiresAt: 0 });
  let t = performance.now();
  const fhir = await createFhirServer({ baseUrl: base, dataDir: dir, authenticate });
  console.log(`start (definitions): ${ms(t)}`);
  http.on('request', (req, res) => void fhir.handle(req, res));

  const data = practice();
  t = performance.now();
  await fhir.store.bulkLoad(data);
  console.log(`bulkLoad ${data.length} resources (${fhir.store.count('Condition')} Conditions) incl. log append: ${ms(t)}`);

  // bulkLoad returns before the common indexes are built (one per event-loop turn in the background);
  // give that time so the table shows steady-state figures. "first" then only builds uncommon indexes.
  const settleMs = Math.ceil(data.length / 40_000) * 1000;
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  console.log(`(waited ${settleMs} ms for background index warm-up)`);

  const get = async (path: string): Promise<Bundle> => {
    const res = await fetch(`${base}/${path}`, { headers: { authorization: 'Bearer x' } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Bundle;
  };
  const queries = [
    'Condition?patient=p42',
    'Condition?code=T90',
    'Condition?code=http://hl7.org/fhir/sid/icpc-2|K86&_sort=-onset-date',
    'Patient?general-practitioner=gp3',
    'Patient?identifier=10000000042',
    'Patient?name=familie42',
    'Encounter?patient=p42',
    'Encounter?date=ge2025-06-01&class=VR',
    'Task?status=requested&owner=Practitioner/gp1',
    'Task?patient=p42&_include=Task:patient',
    'ChargeItem?patient=p42',
    'Flag?patient=p40',
    'Condition?_lastUpdated=gt2000-01-01&_summary=count',
    'Condition?_sort=-_lastUpdated&_count=100',
  ];
  console.log('query | first (builds index) | again | total');
  for (const q of queries) {
    let t0 = performance.now();
    const first = await get(q);
    const cold = ms(t0);
    t0 = performance.now();
    await get(q);
    console.log(`${q} | ${cold} | ${ms(t0)} | ${first.total}`);
  }

  t = performance.now();
  let bundle: Bundle | undefined = await get('Condition?code=T90&_count=1000');
  let pages = 0;
  while (bundle) {
    pages++;
    const next: string | undefined = bundle.link?.find((l) => l.relation === 'next')?.url;
    bundle = next ? ((await (await fetch(next, { headers: { authorization: 'Bearer x' } })).json()) as Bundle) : undefined;
  }
  console.log(`paged all Condition?code=T90 in ${pages} pages of 1000: ${ms(t)}`);

  t = performance.now();
  await fhir.close();
  console.log(`close (compact snapshot): ${ms(t)}`);
  t = performance.now();
  const again = await createFhirServer({ baseUrl: base, dataDir: dir, authenticate });
  console.log(`restart (load ${again.store.count()} resources): ${ms(t)}`);
  await again.close();
  http.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
}

function ms(since: number): string {
  return `${Math.round(performance.now() - since)} ms`;
}

await main();
