export * from './types';
export * from './rates';
export * from './modelA';
export * from './modelB';
export * from './pilotGrants';
export * from './yearFraction';
export * from './financing';
export * from './evaluationExport';
