// CSV export of the list (SPEC §8 privacy): formulas are neutralised (a cell starting with = + - @ or a
// control character gets a leading apostrophe, OWASP "CSV injection"); patients with a confidential
// address never have it exported; the secretary's export has no clinical evidence.
import type { PopulationRow } from '../../fhir/population';
import { TARGET_GROUP_DISPLAY } from '../../fhir/targetGroups';
import { formatDate } from '../../ui/format';

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function toCsv(rows: readonly PopulationRow[], opts: { clinical: boolean }): string {
  const header = ['Navn', 'Fødselsdato', 'Alder', 'Fastlege', 'Adresse', 'Målgrupper', 'Svak etterspørrer', 'Trenger legemiddelgjennomgang', 'Trenger behandlingsplan'];
  if (opts.clinical) header.push('Begrunnelse');
  const lines = [header.map(csvCell).join(';')];
  for (const row of rows) {
    const cells = [
      row.name,
      row.birthDate ? formatDate(row.birthDate) : '',
      row.age === undefined ? '' : String(row.age),
      row.gpName ?? '',
      row.addressProtected ? '' : (row.address ?? ''),
      row.groups.map((g) => `${TARGET_GROUP_DISPLAY[g.group]} (${g.confirmed ? 'bekreftet' : 'forslag'})`).join(', '),
      row.weakDemander ? 'ja' : 'nei',
      row.needsMedicationReview ? 'ja' : 'nei',
      row.needsCarePlan ? 'ja' : 'nei',
    ];
    if (opts.clinical) cells.push(row.reasons.map((r) => `${r.text}: ${r.evidence.join('; ')}`).join(' | '));
    lines.push(cells.map(csvCell).join(';'));
  }
  // BOM so Excel opens UTF-8 (æøå) correctly.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function downloadCsv(filename: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}
