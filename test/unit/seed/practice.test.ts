import { describe, expect, test } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import { EXT_RESIDENCE_INSTITUTION, generatePractice, LOINC_DISCHARGE_SUMMARY, practiceResources, PRACTICE_ID } from '../../../sandbox/seed/index';
import { EXTENSIONS, SYSTEMS } from '../../../src/fhir/systems';
import { byType, deadlineForTest, fullYears, isWorkingDayForTest, osloDate, refId, shiftDate } from './osloTestHelpers';

const ASOF = '2026-11-24'; // a Tuesday
const practice = generatePractice({ asOf: ASOF, patients: 3000, seed: 1 });
const { resources, summary } = practice;
const patients = byType(resources, 'Patient');

describe('determinism', () => {
  test('same options give deep-equal output', () => {
    const again = generatePractice({ asOf: ASOF, patients: 3000, seed: 1 });
    expect(again).toEqual(practice);
  });

  test('a different seed gives a different practice; a different size keeps the staff', () => {
    const other = generatePractice({ asOf: ASOF, patients: 3000, seed: 2 });
    expect(other.resources).not.toEqual(resources);
    expect(byType(other.resources, 'Patient').map((p) => p.birthDate)).not.toEqual(patients.map((p) => p.birthDate));
    const small = generatePractice({ asOf: ASOF, patients: 100, seed: 1 });
    expect(byType(small.resources, 'Practitioner')).toEqual(byType(resources, 'Practitioner'));
  });

  test('the stream and the array agree, and the summary counts what was emitted', () => {
    const it = practiceResources({ asOf: ASOF, patients: 3000, seed: 1 });
    let n = 0;
    for (let r = it.next(); !r.done; r = it.next()) n++;
    expect(n).toBe(resources.length);
    expect(summary.totalResources).toBe(resources.length);
    const counts: Record<string, number> = {};
    for (const r of resources) counts[r.resourceType] = (counts[r.resourceType] ?? 0) + 1;
    expect(summary.resources).toEqual(counts);
  });

  test('ids are unique, readable and every reference resolves', () => {
    const keys = new Set(resources.map((r) => `${r.resourceType}/${r.id}`));
    expect(keys.size).toBe(resources.length);
    expect(patients[0]?.id).toBe('pat-00001');
    const dangling: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === 'reference' && typeof x === 'string' && !keys.has(x)) dangling.push(x);
          else walk(x);
        }
      }
    };
    resources.forEach(walk);
    expect(dangling).toEqual([]);
  });

  test('rejects bad options', () => {
    expect(() => generatePractice({ asOf: '2026-02-30' })).toThrow();
    expect(() => generatePractice({ asOf: ASOF, patients: 100_001 })).toThrow(RangeError);
  });
});

describe('practice, staff and institutions', () => {
  const roles = byType(resources, 'PractitionerRole');
  const role = (id: string) => roles.find((r) => r.id === `role-${id}`);
  const codes = (id: string): string[] => (role(id)?.code ?? []).flatMap((c) => (c.coding ?? []).map((x) => `${x.system}|${x.code}`));

  test('fixed staff ids with HPR numbers and Volven 9060 roles at the practice', () => {
    for (const id of ['gp-1', 'gp-2', 'gp-3', 'nurse-1', 'secretary-1']) {
      const p = byType(resources, 'Practitioner').find((x) => x.id === id);
      expect(p?.identifier?.[0]?.system, id).toBe(SYSTEMS.hpr);
      expect(role(id)?.organization?.reference).toBe(`Organization/${PRACTICE_ID}`);
    }
    expect(codes('gp-1')).toEqual([`${SYSTEMS.healthPersonnelCategory}|LE`]);
    expect(codes('gp-2')).toEqual([`${SYSTEMS.healthPersonnelCategory}|LE`, `${SYSTEMS.teamRole}|practice-manager`]);
    expect(codes('nurse-1')).toEqual([`${SYSTEMS.healthPersonnelCategory}|SP`]);
    expect(codes('secretary-1')).toEqual([`${SYSTEMS.healthPersonnelCategory}|HE`]);
    expect(role('nurse-1')?.extension?.find((e) => e.url === EXTENSIONS.positionPercent)?.valueDecimal).toBe(100);
  });

  test('the practice and 4 institutions carry orgnr and HER-id', () => {
    const orgs = byType(resources, 'Organization');
    expect(orgs.map((o) => o.id)).toEqual(expect.arrayContaining([PRACTICE_ID, 'org-ous-ulleval', 'org-ahus', 'org-lovisenberg', 'org-sagene-sykehjem']));
    for (const o of orgs) {
      const orgnr = o.identifier?.find((i) => i.system === SYSTEMS.orgnr)?.value ?? '';
      expect(orgnr, o.id).toMatch(/^\d{9}$/);
      const sum = [3, 2, 7, 6, 5, 4, 3, 2].reduce((s, w, i) => s + w * Number(orgnr[i]), 0);
      expect((11 - (sum % 11)) % 11, o.id).toBe(Number(orgnr[8]));
      expect(o.identifier?.some((i) => i.system === SYSTEMS.herId)).toBe(true);
    }
  });
});

describe('the list', () => {
  const ages = patients.map((p) => fullYears(p.birthDate ?? '', ASOF));
  const share = (pred: (a: number) => boolean): number => ages.filter(pred).length / ages.length;

  test('age and sex like a Norwegian GP list', () => {
    expect(Math.min(...ages)).toBe(0);
    expect(Math.max(...ages)).toBeGreaterThanOrEqual(95);
    expect(Math.max(...ages)).toBeLessThanOrEqual(100);
    expect(share((a) => a < 18)).toBeGreaterThanOrEqual(0.15);
    expect(share((a) => a < 18)).toBeLessThanOrEqual(0.18);
    expect(share((a) => a < 16)).toBeGreaterThan(0.12);
    expect(share((a) => a >= 20 && a <= 60)).toBeGreaterThan(0.5);
    expect(share((a) => a >= 85)).toBeGreaterThan(0.015);
    expect(share((a) => a >= 85)).toBeLessThan(0.04);
    const old = patients.filter((_, i) => (ages[i] ?? 0) >= 85);
    expect(old.filter((p) => p.gender === 'female').length / old.length).toBeGreaterThan(0.55);
  });

  test('split across the three GP lists, all managed by the practice', () => {
    const byGp = new Map<string, number>();
    for (const p of patients) {
      expect(p.managingOrganization?.reference).toBe(`Organization/${PRACTICE_ID}`);
      const gp = p.generalPractitioner?.[0]?.reference ?? '';
      byGp.set(gp, (byGp.get(gp) ?? 0) + 1);
    }
    expect([...byGp.keys()].sort()).toEqual(['Practitioner/gp-1', 'Practitioner/gp-2', 'Practitioner/gp-3']);
    for (const n of byGp.values()) expect(n).toBeGreaterThan(800);
  });

  test('names, addresses with postnummer, phones; a few confidential addresses and institution residents', () => {
    for (const p of patients) {
      expect(p.name?.[0]?.family).toBeTruthy();
      expect(p.address?.[0]?.postalCode).toMatch(/^\d{4}$/);
    }
    expect(patients.filter((p) => p.telecom?.length).length / patients.length).toBeGreaterThan(0.85);
    const protection = patients.map((p) => p.extension?.find((e) => e.url === EXTENSIONS.addressProtection)?.valueCode).filter(Boolean);
    expect(protection).toContain('fortrolig');
    expect(protection).toContain('strengt-fortrolig');
    const residents = patients.filter((p) => p.extension?.some((e) => e.url === EXT_RESIDENCE_INSTITUTION));
    expect(residents.length).toBeGreaterThanOrEqual(5);
    for (const r of residents) expect(r.extension?.find((e) => e.url === EXT_RESIDENCE_INSTITUTION)?.valueReference?.reference).toBe('Organization/org-sagene-sykehjem');
  });

  test('next of kin with a phone for most of the elderly', () => {
    const kin = new Set(byType(resources, 'RelatedPerson').filter((r) => r.telecom?.[0]?.value).map((r) => refId(r.patient.reference)));
    const elderly = patients.filter((_, i) => (ages[i] ?? 0) >= 75);
    expect(elderly.filter((p) => kin.has(p.id ?? '')).length / elderly.length).toBeGreaterThan(0.7);
  });

  test('frikort as Coverage type F, this year; none for children under 16', () => {
    const cover = byType(resources, 'Coverage');
    expect(cover.length).toBeGreaterThan(50);
    const ageOf = new Map(patients.map((p, i) => [p.id, ages[i] ?? 0]));
    for (const c of cover) {
      expect(c.type?.coding?.[0]).toMatchObject({ system: SYSTEMS.copayExemption, code: 'F' });
      expect(c.period?.start?.slice(0, 4)).toBe('2026');
      expect((c.period?.start ?? '') <= ASOF).toBe(true);
      expect(ageOf.get(refId(c.beneficiary.reference))).toBeGreaterThanOrEqual(16);
    }
  });

  test('care plans (some with goals), medication reviews and frailty scores exist', () => {
    const plans = byType(resources, 'CarePlan');
    expect(plans.filter((p) => p.goal?.length).length).toBeGreaterThan(10);
    expect(plans.filter((p) => !p.goal?.length).length).toBeGreaterThan(5);
    expect(byType(resources, 'Procedure').every((p) => p.code?.coding?.[0]?.code === '182836005')).toBe(true);
    const cfs = byType(resources, 'Observation').filter((o) => o.code.coding?.[0]?.code === '763264000');
    expect(cfs.length).toBeGreaterThan(50);
    expect(cfs.some((o) => (o.valueInteger ?? 0) >= 5)).toBe(true);
  });

  test('every dateTime is Oslo wall-clock time with the offset Oslo had then (DST included)', () => {
    const wall = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const wrong: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
      else if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00[+-]\d{2}:\d{2}$/.test(v)) {
        if (wall.format(new Date(v)) !== v.slice(0, 16).replace('T', ' ')) wrong.push(v);
      }
    };
    resources.forEach(walk);
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  test('nothing is dated after asOf', () => {
    const dates: string[] = [];
    const collect = (v: unknown, key = ''): void => {
      if (Array.isArray(v)) v.forEach((x) => collect(x, key));
      else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => collect(x, k));
      else if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}(T|$)/.test(v) && !['birthDate', 'end', 'dueDate'].includes(key)) dates.push(osloDate(v));
    };
    resources.filter((r) => r.resourceType !== 'Coverage').forEach((r) => collect(r));
    expect(dates.filter((d) => d > ASOF)).toEqual([]);
  });
});

describe('discharges (SPEC §4) relative to asOf', () => {
  interface Signal { patient: string; institution: string; date: string; shape: 'encounter' | 'document' | 'communication' }
  const recent = shiftDate(ASOF, -20);
  const signals: Signal[] = [
    ...byType(resources, 'Encounter')
      .filter((e) => ['IMP', 'ACUTE', 'NONAC', 'OBSENC', 'SS'].includes(e.class.code ?? '') && e.status === 'finished')
      .map((e) => ({ patient: refId(e.subject?.reference), institution: refId(e.serviceProvider?.reference), date: osloDate(e.period?.end ?? ''), shape: 'encounter' as const })),
    ...byType(resources, 'DocumentReference')
      .filter((d) => d.type?.coding?.some((c) => c.code === LOINC_DISCHARGE_SUMMARY.code))
      .map((d) => ({ patient: refId(d.subject?.reference), institution: refId(d.custodian?.reference), date: osloDate(d.context?.period?.end ?? ''), shape: 'document' as const })),
    ...byType(resources, 'Communication')
      .map((c) => ({ patient: refId(c.subject?.reference), institution: refId(c.sender?.reference), date: osloDate(c.sent ?? ''), shape: 'communication' as const })),
  ].filter((s) => s.date >= recent && s.date <= ASOF);
  const episodes = new Map<string, Signal[]>();
  for (const s of signals) {
    const key = `${s.patient}|${s.institution}|${s.date}`;
    episodes.set(key, [...(episodes.get(key) ?? []), s]);
  }
  const deadlines = [...episodes.values()].map((e) => deadlineForTest(e[0]?.date ?? ''));

  test('all three shapes in the last 3 weeks, some stays reported twice', () => {
    for (const shape of ['encounter', 'document', 'communication'] as const) {
      expect(signals.filter((s) => s.shape === shape).length, shape).toBeGreaterThanOrEqual(3);
    }
    const twice = [...episodes.values()].filter((e) => e.length === 2);
    expect(twice.length).toBeGreaterThanOrEqual(3);
    expect(twice.every((e) => new Set(e.map((s) => s.shape)).size === 2)).toBe(true);
    expect(episodes.size).toBe(summary.discharges.recentStays);
  });

  test('due today, overdue, not yet due; a weekend discharge and the Friday before', () => {
    expect(deadlines.filter((d) => d === ASOF).length).toBeGreaterThanOrEqual(2);
    expect(deadlines.filter((d) => d < ASOF).length).toBeGreaterThanOrEqual(3);
    expect(deadlines.filter((d) => d > ASOF).length).toBeGreaterThanOrEqual(1);
    expect(deadlines.filter((d) => d === ASOF).length).toBe(summary.discharges.dueToday);
    expect(deadlines.filter((d) => d < ASOF).length).toBe(summary.discharges.overdue);
    const dates = [...episodes.values()].map((e) => e[0]?.date ?? '');
    expect(dates.some((d) => [0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay()))).toBe(true);
    expect(dates).toContain('2026-11-20'); // the Friday before Tuesday 24 Nov
  });

  test('discharges come from hospitals or the nursing home, never the practice', () => {
    for (const s of signals) expect(['org-ous-ulleval', 'org-ahus', 'org-lovisenberg', 'org-sagene-sykehjem']).toContain(s.institution);
  });

  test('ER visits without admission exist (class EMER, not discharges)', () => {
    const er = byType(resources, 'Encounter').filter((e) => e.class.code === 'EMER' && osloDate(e.period?.start ?? '') >= recent);
    expect(er.length).toBeGreaterThanOrEqual(3);
  });

  test('on a non-working day nothing can be due today', () => {
    const sunday = generatePractice({ asOf: '2026-11-22', patients: 500, seed: 1 });
    expect(isWorkingDayForTest('2026-11-22')).toBe(false);
    expect(sunday.summary.discharges.dueToday).toBe(0);
    expect(sunday.summary.discharges.overdue).toBeGreaterThanOrEqual(3);
  });

  test('over Easter the placement follows the holidays (deadline table from SPEC §2)', () => {
    const easter = generatePractice({ asOf: '2026-04-09', patients: 500, seed: 5 });
    expect(easter.summary.discharges.dueToday).toBeGreaterThanOrEqual(2);
    expect(deadlineForTest('2026-04-01')).toBe('2026-04-09');
  });
});

describe("today's GP charges (SPEC §6)", () => {
  const charges = byType(resources, 'ChargeItem');

  test('GP consultations charged today with egenandel; exempt ones carry the reason', () => {
    expect(charges.length).toBeGreaterThanOrEqual(8);
    for (const c of charges) {
      expect(osloDate(c.occurrenceDateTime ?? '')).toBe(ASOF);
      expect(c.code.coding?.[0]).toMatchObject({ system: SYSTEMS.tariff, code: '2ad' });
      expect(c.performer?.[0]?.actor.reference).toMatch(/^Practitioner\/gp-\d$/);
      expect(c.extension?.some((e) => e.url === EXTENSIONS.egenandel)).toBe(true);
    }
    const reasons = charges.map((c) => c.extension?.find((e) => e.url === EXTENSIONS.egenandelWaiverReason)?.valueCoding?.code);
    expect(reasons).toContain('B');
    expect(reasons).toContain('F');
    expect(reasons.filter((r) => r === undefined).length).toBeGreaterThan(3);
  });

  test('each charge belongs to an encounter at the practice today', () => {
    const encounters = new Map(byType(resources, 'Encounter').map((e): [string, Resource & { resourceType: 'Encounter' }] => [`Encounter/${e.id}`, e]));
    for (const c of charges) {
      const e = encounters.get(c.context?.reference ?? '');
      expect(e?.serviceProvider?.reference).toBe(`Organization/${PRACTICE_ID}`);
      expect(osloDate(e?.period?.start ?? '')).toBe(ASOF);
    }
  });
});
