export { FinancingSection } from './FinancingSection';
export { EvaluationExport } from './EvaluationExport';
