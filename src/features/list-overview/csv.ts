// CSV export of the list (SPEC §8 privacy): the address column comes from the row, which holds an
// address only for a patient without address protection (src/fhir/privacy.ts decides); the secretary's
// export has no clinical evidence. src/platform/csv.ts writes the file (formula-safe).
import { TARGET_GROUP_DISPLAY, type PopulationRow } from '../../domain/targetGroups/views';
import { toCsv } from '../../platform/csv';
import { formatDate } from '../../ui/format';

export function listCsv(rows: readonly PopulationRow[], opts: { clinical: boolean }): string {
  // The secretary's export has membership only, like her view (issue 17 item 7).
  const header = opts.clinical
    ? ['Navn', 'Fødselsdato', 'Alder', 'Fastlege', 'Adresse', 'Målgrupper', 'Svak etterspørrer', 'Trenger legemiddelgjennomgang', 'Trenger behandlingsplan', 'Begrunnelse']
    : ['Navn', 'Fødselsdato', 'Alder', 'Fastlege', 'Adresse', 'Oppfølging'];
  const body = rows.map((row) => {
    const cells: (string | number)[] = [
      row.name,
      row.birthDate ? formatDate(row.birthDate) : '',
      row.age ?? '',
      row.gpName ?? '',
      row.address ?? '',
    ];
    if (!opts.clinical) return [...cells, row.inTargetGroup ? 'I målgruppe' : ''];
    return [
      ...cells,
      row.groups.map((g) => `${TARGET_GROUP_DISPLAY[g.group]} (${g.confirmed ? 'bekreftet' : 'forslag'})`).join(', '),
      row.weakDemander ? 'ja' : 'nei',
      row.needsMedicationReview ? 'ja' : 'nei',
      row.needsCarePlan ? 'ja' : 'nei',
      row.reasons.map((r) => `${r.text}: ${r.evidence.join('; ')}`).join(' | '),
    ];
  });
  return toCsv(header, body);
}
