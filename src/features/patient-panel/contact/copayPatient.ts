// Moved to src/fhir/copayPatient.ts (the group session view reads the same facts); kept for this slice's imports.
export * from '../../../fhir/copayPatient';
