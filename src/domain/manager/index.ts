export * from './types';
export * from './period';
export * from './codeUsage';
export * from './anomalies';
export * from './claims';
export * from './indicators';
export * from './evaluationExport';
