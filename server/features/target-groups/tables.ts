// Kysely types of this slice's tables (composed in server/db/schema.ts; created by its migrations).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TargetGroupTables {}
