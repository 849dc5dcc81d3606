// The evaluation export as FHIR (issue 18 item 4; ch. 7): a collection Bundle with one summary MeasureReport
// per part, aggregates only, no subject. Each column is a group, each row a stratum; a suppressed cell has no
// measureScore and the standard data-absent-reason "masked". The data dictionary says the same
// (src/domain/financing/evaluation-dictionary.json).
import type { Bundle, Extension, MeasureReport } from '@medplum/fhirtypes';
import { SUPPRESSED, type EvaluationExport } from '../../domain/financing';
import { PHT_CANONICAL } from '../systems';

const MASKED: Extension = { url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'masked' };

export function evaluationMeasureReportBundle(e: EvaluationExport): Bundle<MeasureReport> {
  const period = { start: e.period.from, end: e.period.to };
  const reports: MeasureReport[] = e.parts.map((p) => ({
    resourceType: 'MeasureReport',
    status: p.available ? 'complete' : 'pending',
    type: 'summary',
    measure: `${PHT_CANONICAL}/Measure/evaluation-${p.id}`,
    period,
    ...(p.available
      ? {
          group: p.colLabels.map((col, j) => ({
            code: { text: col },
            stratifier: [
              {
                code: [{ text: p.title }],
                stratum: p.rowLabels.map((row, i) => {
                  const v = p.cells[i]![j]!;
                  return v === SUPPRESSED ? { value: { text: row }, extension: [MASKED] } : { value: { text: row }, measureScore: { value: v, unit: p.units[j]! } };
                }),
              },
            ],
          })),
        }
      : { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'not-applicable' }] }),
  }));
  return { resourceType: 'Bundle', type: 'collection', entry: reports.map((resource) => ({ resource })) };
}
