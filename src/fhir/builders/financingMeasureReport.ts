// The financing part of the evaluation export as FHIR (issue 18 item 4; ch. 7): a collection Bundle of
// two summary MeasureReports, the list by age band and sex and the financing figures. Aggregates only,
// no subject; a suppressed value has no measureScore and the standard data-absent-reason "masked".
import type { Bundle, Extension, MeasureReport, MeasureReportGroup } from '@medplum/fhirtypes';
import { SUPPRESSED, type ExportRow, type SuppressedTable } from '../../domain/financing';
import type { Period } from '../../domain/manager';
import { PHT_CANONICAL } from '../systems';

const MASKED: Extension = { url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'masked' };

function score(value: number | typeof SUPPRESSED, unit: string): Pick<MeasureReportGroup, 'measureScore' | 'extension'> {
  return value === SUPPRESSED ? { extension: [MASKED] } : { measureScore: { value, unit } };
}

export function financingMeasureReportBundle(period: Period, list: SuppressedTable, figures: readonly ExportRow[]): Bundle<MeasureReport> {
  const reportPeriod = { start: period.from, end: period.to };
  const listReport: MeasureReport = {
    resourceType: 'MeasureReport',
    status: 'complete',
    type: 'summary',
    measure: `${PHT_CANONICAL}/Measure/list-size-age-sex`,
    period: reportPeriod,
    group: list.colLabels.map((sex, j) => ({
      code: { text: `Kjønn: ${sex}` },
      stratifier: [
        {
          code: [{ text: 'Aldersgruppe' }],
          stratum: list.rowLabels.map((age, i) => {
            const { measureScore, extension } = score(list.cells[i]![j]!, 'antall');
            return { value: { text: age }, ...(measureScore ? { measureScore } : {}), ...(extension ? { extension } : {}) };
          }),
        },
      ],
    })),
  };
  const financingReport: MeasureReport = {
    resourceType: 'MeasureReport',
    status: 'complete',
    type: 'summary',
    measure: `${PHT_CANONICAL}/Measure/financing`,
    period: reportPeriod,
    group: figures.map((f) => ({ code: { text: f.measure }, ...score(f.value, f.unit) })),
  };
  return { resourceType: 'Bundle', type: 'collection', entry: [{ resource: listReport }, { resource: financingReport }] };
}
