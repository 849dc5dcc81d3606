// The patient panel's target-group section (issue "Target groups" point 4); composed by ../index.tsx.
export { TargetGroupsSection } from './TargetGroupsSection';
