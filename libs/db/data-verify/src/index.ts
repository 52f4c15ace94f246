export { verifyData, type RecheckOptions, type VerifyOptions } from './lib/verify';
export { selectTables, DEFAULT_EXCLUDED_SCHEMAS, type SelectOptions, type TableSelection } from './lib/select';
export { mergeResults, parseVerifyResult } from './lib/merge';
export { formatText } from './lib/report';
export { urlFromEnvironment } from './lib/environment';
export { NothingToCompareError, VerifyAbortedError, VerifyInputError } from './lib/errors';
export { parseShard, shardOfUnit, formatRanges, parseRanges, type Shard } from './lib/shard';
export { planChunks, compareChunks, reconcile, compareUtf8, MAX_CHUNKS, type ChunkPlan, type ChunkSummary, type ChunkComparison } from './lib/chunks';
export { CHECKPOINT_FORMAT, CHECKPOINT_VERSION } from './lib/checkpoint';
export { CANONICAL_SESSION_SQL } from './lib/sql';
export type {
  ConvergedChunk,
  DifferenceKind,
  RowDifference,
  TableCoverage,
  TableResult,
  TableStatus,
  VerifyPhase,
  VerifyProgress,
  VerifyResult,
  VerifyStats,
} from './lib/types';
