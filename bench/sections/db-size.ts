// The database size per practice-year (issue 19 point 8, scale notes): what the app's own tables hold for
// one practice, measured, not estimated from column widths. On a fresh migrated PGlite database it stores,
// through the same code the app server runs:
//   - one stored scan result of the default 3 000-patient practice (tg_patient + tg_result; replaced by
//     every scan, so it counts once, not per night),
//   - a sample of contacts (S2a + S2b each) through POST /api/contact-copay/contacts (contact, charges,
//     the patient-day's egenandel, the journal-note write-back queue),
//   - a sample of follow-up tasks, each with one successful attempt,
//   - a sample of audit events,
// and measures the tables' total size (heap, indexes, TOAST) after each step. The year is then the
// manager benchmark's synthetic year of the same practice (bench/manager.ts: its charge and follow-up
// counts), with the audit events of an assumed day's work stated in the row.
// Run alone: `node --import tsx bench/sections/db-size.ts`.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { openDatabase } from '../../server/db/database';
import type { Database } from '../../server/db/schema';
import { appendAudit } from '../../server/features/audit/store';
import { addAttempt, ensureFollowUp } from '../../server/features/follow-up/store';
import { classifyPatients } from '../../server/features/target-groups/jobs';
import { gpIdOf, patientDisplay, type ScannedPatient } from '../../server/features/target-groups/scan';
import { finishScan, startScan } from '../../server/features/target-groups/store';
import { DEFAULT_RULE_SET } from '../../src/domain/targetGroups';
import { toPatientFacts } from '../../src/fhir/mappers/patientFacts';
import { copayTestApp, PRACTICE } from '../../test/support/copayApi';
import { freshDatabase } from '../../test/support/database';
import { generateManagerYear } from '../manager';
import { fmt, type BenchRow } from '../report';
import { contactBody } from './copay-db';
import { practiceByPatient } from './practiceData';

const AS_OF = '2026-03-10';
const NOW = Date.parse(`${AS_OF}T15:00:00Z`);
/** Assumed audited actions a day (list views, exports, changes) for the practice's team of 5-6. */
const AUDIT_PER_WORKING_DAY = 100;
const WORKING_DAYS = 250;

async function tablesBytes(db: Kysely<Database>): Promise<number> {
  const r = await sql<{ bytes: string | number | null }>`
    select sum(pg_total_relation_size(c.oid)) as bytes
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r'`.execute(db);
  return Number(r.rows[0]?.bytes ?? 0);
}

function dayOf(i: number): string {
  const d = new Date(Date.UTC(2025, 0, 2 + (i % 360)));
  return d.toISOString().slice(0, 10);
}

export interface DbSizeResult {
  patients: number;
  scanBytes: number;
  perContactBytes: number;
  perFollowUpBytes: number;
  perAuditBytes: number;
  year: { charges: number; contacts: number; followUps: number; audit: number; bytes: number };
}

export async function measureDbSize(patients = 3_000, samples = { contacts: 400, followUps: 300, audit: 2_000 }): Promise<DbSizeResult> {
  const fresh = await freshDatabase('PGlite');
  const app = await openDatabase(fresh.config);
  try {
    const db = app.db;
    const s0 = await tablesBytes(db);

    // One stored scan result of the practice.
    const { bundles, practiceOrgId } = practiceByPatient(patients, AS_OF);
    const scanned: ScannedPatient[] = bundles.map(({ patient, related }) => {
      const { facts } = toPatientFacts(patient, related, { practiceOrgId, asOf: AS_OF });
      const gpId = gpIdOf(patient);
      return { patientId: patient.id ?? '', ...(gpId ? { gpId } : {}), display: patientDisplay(patient, AS_OF), facts };
    });
    const at = new Date(NOW);
    const run = await startScan(db, PRACTICE, { id: crypto.randomUUID(), by: 'system', asOf: AS_OF, ruleSetVersion: DEFAULT_RULE_SET.version, at });
    if (!run.ok) throw new Error('gjennomgangen startet ikke');
    await finishScan(db, PRACTICE, run.run.id, classifyPatients(scanned, new Map(), AS_OF), { asOf: AS_OF, ruleSetVersion: DEFAULT_RULE_SET.version, at });
    const s1 = await tablesBytes(db);

    // Contacts through the API, each on its own patient-day.
    const hono = copayTestApp(db, () => NOW);
    for (let i = 0; i < samples.contacts; i++) {
      const res = await hono.request('/api/contact-copay/contacts', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-test-actor': 'nurse' },
        body: JSON.stringify(contactBody(`pat-${String(i % patients).padStart(5, '0')}`, 120, dayOf(i))),
      });
      if (res.status !== 201) throw new Error(`registrering feilet: ${res.status} ${await res.text()}`);
    }
    const s2 = await tablesBytes(db);

    // Follow-up tasks with one successful attempt each.
    for (let i = 0; i < samples.followUps; i++) {
      const id = crypto.randomUUID();
      const day = dayOf(i);
      const { task } = await ensureFollowUp(db, PRACTICE, {
        id,
        iss: 'https://epj.test/fhir',
        patientId: `pat-${String(i % patients).padStart(5, '0')}`,
        episodeKey: `episode-${i}`,
        institution: { id: 'Organization/hosp-1', name: 'Sykehuset Innlandet, Gjøvik' },
        dischargeDate: day,
        dischargeDateConfirmed: true,
        messageDate: day,
        summaryRef: `DocumentReference/epikrise-${i}`,
        deadline: day,
        signals: [`DocumentReference/epikrise-${i}`, `Encounter/stay-${i}`],
        createdBy: 'system',
        at,
      });
      await addAttempt(db, PRACTICE, task.id, { id: crypto.randomUUID(), at: `${day}T11:00:00+01:00`, channel: 'phone', successful: true, note: 'Ringt opp, avtalt kontroll' }, 'Practitioner/nurse-1', at);
    }
    const s3 = await tablesBytes(db);

    for (let i = 0; i < samples.audit; i++) {
      await appendAudit(db, { practiceId: PRACTICE, actor: 'Practitioner/nurse-1', role: 'nurse', action: 'read-list', what: 'Listeoversikt (målgrupper, hele praksisen)', rows: 3_000, requestId: crypto.randomUUID(), at });
    }
    const s4 = await tablesBytes(db);

    const perContactBytes = (s2 - s1) / samples.contacts;
    const perFollowUpBytes = (s3 - s2) / samples.followUps;
    const perAuditBytes = (s4 - s3) / samples.audit;
    const model = generateManagerYear({ patients });
    const charges = model.charges.length;
    // Our sample contacts carry two charge lines each.
    const contacts = Math.round(charges / 2);
    const followUps = model.tasks.length;
    const audit = AUDIT_PER_WORKING_DAY * WORKING_DAYS;
    const bytes = s1 - s0 + contacts * perContactBytes + followUps * perFollowUpBytes + audit * perAuditBytes;
    return { patients, scanBytes: s1 - s0, perContactBytes, perFollowUpBytes, perAuditBytes, year: { charges, contacts, followUps, audit, bytes } };
  } finally {
    await app.close();
    await fresh.cleanup();
  }
}

export async function benchDbSize(quick = false): Promise<BenchRow[]> {
  const r = await measureDbSize(3_000, quick ? { contacts: 100, followUps: 100, audit: 500 } : undefined);
  const mib = (b: number) => `${fmt(b / 2 ** 20, 1)} MiB`;
  return [
    {
      section: 'Skala',
      name: `Databasestørrelse per praksis-år, ${fmt(r.patients)} listepasienter (PGlite, tabeller med indekser)`,
      figure: mib(r.year.bytes),
      value: r.year.bytes / 2 ** 20,
      unit: 'MiB',
      target: 'målt (skalanotat)',
      met: true,
      note:
        `lagret gjennomgang ${mib(r.scanBytes)} (én, erstattes hver natt); per kontakt (2 takster) ${fmt(r.perContactBytes / 1024, 2)} KiB × ${fmt(r.year.contacts)}; ` +
        `per oppfølging med ett forsøk ${fmt(r.perFollowUpBytes / 1024, 2)} KiB × ${fmt(r.year.followUps)}; per loggført hendelse ${fmt(r.perAuditBytes)} B × ${fmt(r.year.audit)} ` +
        `(antatt ${AUDIT_PER_WORKING_DAY} per arbeidsdag); årets antall fra lederbenken (bench/manager.ts, ${fmt(r.year.charges)} takstlinjer)`,
    },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const rows = await benchDbSize(process.argv.includes('--quick'));
  for (const r of rows) console.log(`${r.name}: ${r.figure} (${r.note ?? ''})`);
}
