// Code-usage anomalies the practice manager must see, each with the charges behind it (SPEC §7).
import { inPeriod, serviceDayMemo } from './period';
import type { ChargeRecord, Period, TariffNorm } from './types';

export type AnomalyKind =
  | 'S6_WITHOUT_S3' // travel time without a home visit the same patient-day
  | 'S2B_WITHOUT_BASE' // time tariff without S2a or S3 the same patient-day
  | 'NURSE_CODE_BY_NON_NURSE' // an S-code registered by someone who is not a nurse
  | 'DOUBLE_EGENANDEL' // more than one egenandel charged per patient-day (SPEC §6 broken)
  | 'NO_CONTACT' // a charge without a documented contact
  | 'OVER_YEARLY_MAX'; // a code used more often for one patient in a calendar year than its maximum

export const ANOMALY_LABELS: Record<AnomalyKind, string> = {
  S6_WITHOUT_S3: 'S6 (reisetid) uten S3 (hjemmebesøk) samme dag',
  S2B_WITHOUT_BASE: 'S2b (tidstakst) uten S2a eller S3 samme dag',
  NURSE_CODE_BY_NON_NURSE: 'Sykepleiertakst registrert av en som ikke er sykepleier',
  DOUBLE_EGENANDEL: 'Mer enn én egenandel for pasienten samme dag',
  NO_CONTACT: 'Takst uten dokumentert kontakt',
  OVER_YEARLY_MAX: 'Takst brukt oftere enn årlig maksimum',
};

export interface Anomaly {
  kind: AnomalyKind;
  patientId: string;
  day: string;
  chargeIds: string[];
  detail?: string;
}

function isNurseCode(code: string, norms: ReadonlyMap<string, TariffNorm>): boolean {
  const norm = norms.get(code);
  return norm ? norm.profession === 'nurse' : /^S\d/i.test(code);
}

export function findAnomalies(charges: readonly ChargeRecord[], norms: readonly TariffNorm[], period: Period): Anomaly[] {
  const normByCode = new Map(norms.map((n) => [n.code, n]));
  const serviceDay = serviceDayMemo();
  const live = charges.filter((c) => !c.cancelled);
  const inScope = live.filter((c) => inPeriod(serviceDay(c), period));
  const out: Anomaly[] = [];

  const byPatientDay = new Map<string, ChargeRecord[]>();
  for (const c of inScope) {
    const key = `${c.patientId}|${serviceDay(c)}`;
    const list = byPatientDay.get(key);
    if (list) list.push(c);
    else byPatientDay.set(key, [c]);
  }
  for (const [key, list] of byPatientDay) {
    const [patientId = '', day = ''] = key.split('|');
    const codes = new Set(list.map((c) => c.code.toUpperCase()));
    const ids = (pred: (c: ChargeRecord) => boolean) => list.filter(pred).map((c) => c.id);
    if (codes.has('S6') && !codes.has('S3')) out.push({ kind: 'S6_WITHOUT_S3', patientId, day, chargeIds: ids((c) => c.code.toUpperCase() === 'S6') });
    if (codes.has('S2B') && !codes.has('S2A') && !codes.has('S3'))
      out.push({ kind: 'S2B_WITHOUT_BASE', patientId, day, chargeIds: ids((c) => c.code.toUpperCase() === 'S2B') });
    const bearers = list.filter((c) => c.egenandelCharged > 0);
    if (bearers.length > 1) out.push({ kind: 'DOUBLE_EGENANDEL', patientId, day, chargeIds: bearers.map((c) => c.id) });
  }

  for (const c of inScope) {
    const day = serviceDay(c);
    if (isNurseCode(c.code, normByCode) && c.performerRole !== 'nurse')
      out.push({ kind: 'NURSE_CODE_BY_NON_NURSE', patientId: c.patientId, day, chargeIds: [c.id], detail: c.performerId });
    if (!c.contactId) out.push({ kind: 'NO_CONTACT', patientId: c.patientId, day, chargeIds: [c.id] });
  }

  // Yearly maximum: counted per patient and calendar year over all live charges (also those before the
  // period), reported for the charges inside the period that exceed it.
  const perPatientYear = new Map<string, ChargeRecord[]>();
  for (const c of live) {
    const max = normByCode.get(c.code)?.maxPerYear;
    if (max === undefined) continue;
    const key = `${c.patientId}|${c.code}|${serviceDay(c).slice(0, 4)}`;
    const list = perPatientYear.get(key);
    if (list) list.push(c);
    else perPatientYear.set(key, [c]);
  }
  for (const [key, list] of perPatientYear) {
    const [patientId = '', code = '', year = ''] = key.split('|');
    const max = normByCode.get(code)?.maxPerYear ?? Infinity;
    const ordered = [...list].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id.localeCompare(b.id)));
    let used = 0;
    const over: ChargeRecord[] = [];
    for (const c of ordered) {
      used += c.quantity;
      if (used > max && inPeriod(serviceDay(c), period)) over.push(c);
    }
    if (over.length > 0)
      out.push({ kind: 'OVER_YEARLY_MAX', patientId, day: serviceDay(over[0]!), chargeIds: over.map((c) => c.id), detail: `${code}: ${used} av maks ${max} i ${year}` });
  }
  return out.sort((a, b) => a.day.localeCompare(b.day) || a.kind.localeCompare(b.kind) || a.patientId.localeCompare(b.patientId));
}
