export { FinancingSection } from './FinancingSection';
