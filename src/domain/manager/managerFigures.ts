// Every figure of the practice manager's view (SPEC §7) from the domain inputs, in one pure call: the
// view renders this, the benchmark times it. Nothing here is new arithmetic: it only wires the tested
// functions of this folder, src/domain/followUp.ts and the target-group rules together.
import { complianceClass, deadlineCompliance, overdueNow, type DeadlineCompliance, type FollowUpTask, type OverdueTask } from '../followUp';
import type { CareRecord } from '../care';
import type { PatientFacts } from '../targetGroups';
import { findAnomalies, type Anomaly } from './anomalies';
import { chargesToMarkClaimed, claimsOverview, type ClaimsOverview } from './claims';
import { codeUsage, type CodeUsage } from './codeUsage';
import { indicatorPatientsByMonth, type Classifier } from './indicatorPatient';
import { qualityIndicators, type Indicator, type IndicatorSettings } from './indicators';
import type { ChargeRecord, Period, StaffMember, TariffNorm } from './types';

export type FinancingModel = 'A' | 'B';

export interface ManagerInputs {
  period: Period;
  /** Oslo date: "today" for overdue egenandel and deadline compliance. */
  asOf: string;
  charges: readonly ChargeRecord[];
  staff: readonly StaffMember[];
  norms: readonly TariffNorm[];
  tasks: readonly FollowUpTask[];
  /** The listed patients' EPJ facts, with the app's care record (plans, medication reviews) where it has one. */
  population: readonly { id: string; facts: PatientFacts; care?: CareRecord }[];
}

export interface ComplianceCase {
  task: FollowUpTask;
  outcome: 'late' | 'missed';
}

export interface IndicatorMonth {
  month: Period;
  indicators: Indicator[];
}

export interface ManagerFigures {
  codeUsage: CodeUsage;
  anomalies: Anomaly[];
  claims: ClaimsOverview;
  /** ChargeRecord ids "Marker som krevd" would write (empty when everything is claimed). */
  toMarkClaimed: string[];
  compliance: DeadlineCompliance;
  /** The late and missed follow-ups behind the compliance figure, by deadline. */
  complianceCases: ComplianceCase[];
  /** Open follow-ups past their deadline as of asOf, whatever the period (issue 17 item 2). */
  overdueNow: OverdueTask<FollowUpTask>[];
  /** As of the period's end. */
  indicators: Indicator[];
  /** One entry per calendar month of the period (the trend), the last equal to `indicators`. */
  indicatorTrend: IndicatorMonth[];
}

export interface FigureOptions {
  indicatorSettings?: IndicatorSettings;
  classify?: Classifier;
}

export function computeManagerFigures(input: ManagerInputs, opts: FigureOptions = {}): ManagerFigures {
  const { period, asOf, charges, staff, norms, tasks } = input;
  const usage = codeUsage(charges, staff, norms, period, { asOf });
  const anomalies = findAnomalies(charges, norms, period);
  const claims = claimsOverview(charges, period, asOf);
  const compliance = deadlineCompliance(tasks, period, asOf);
  const complianceCases: ComplianceCase[] = [];
  for (const task of tasks) {
    if (task.deadline < compliance.period.from || task.deadline > compliance.period.to) continue;
    const cls = complianceClass(task, asOf);
    if (cls === 'late' || cls === 'missed') complianceCases.push({ task, outcome: cls });
  }
  complianceCases.sort((a, b) => a.task.deadline.localeCompare(b.task.deadline) || a.task.id.localeCompare(b.task.id));
  const months = indicatorPatientsByMonth(input.population, period, opts.classify);
  const indicatorTrend = months.map(({ month, patients }) => ({ month, indicators: qualityIndicators(patients, staff, opts.indicatorSettings) }));
  const indicators = indicatorTrend.at(-1)?.indicators ?? qualityIndicators([], staff, opts.indicatorSettings);
  return {
    codeUsage: usage,
    anomalies,
    claims,
    toMarkClaimed: chargesToMarkClaimed(charges, period),
    compliance,
    complianceCases,
    overdueNow: overdueNow(tasks, asOf),
    indicators,
    indicatorTrend,
  };
}
