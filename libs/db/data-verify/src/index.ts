export { verifyData, resolveTables, DEFAULT_EXCLUDED_SCHEMAS, type VerifyOptions } from './lib/verify';
export { formatText } from './lib/report';
export { VerifyInputError } from './lib/errors';
export { planChunks, compareChunks, reconcile, compareUtf8, MAX_CHUNKS, type ChunkPlan, type ChunkSummary, type ChunkComparison } from './lib/chunks';
export { CANONICAL_SESSION_SQL } from './lib/sql';
export type { DifferenceKind, RowDifference, TableResult, TableStatus, VerifyProgress, VerifyResult } from './lib/types';
