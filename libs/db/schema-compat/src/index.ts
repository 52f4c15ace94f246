export { checkCompatibility, checkSchemaFilters, comparedScope, ConfigurationError, NothingToCompareError, SchemaFilterError, compareSnapshots, sortChanges, summarize, type CheckOptions, type CompatibilityReport, type CompatibilitySummary, type ComparedScope } from './lib/check';
export { diffSnapshots, type Change, type Compatibility, type DiffOptions } from './lib/diff';
export { formatReportText, reportToJson } from './lib/format';
export { introspect, type IntrospectOptions } from './lib/introspect/introspect';
export { parseSnapshot, type RawCatalog } from './lib/introspect/parse';
export { CATALOG_QUERIES } from './lib/introspect/queries';
export type * from './lib/model';
export { compareTypes, compareSequenceOptions, type TypeRef, type TypeVerdict } from './lib/types';
