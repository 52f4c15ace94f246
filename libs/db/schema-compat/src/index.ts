export { checkCompatibility, checkSchemaFilters, comparedScope, ConfigurationError, NothingToCompareError, SchemaFilterError, compareSnapshots, sortChanges, summarize, type CheckOptions, type CompatibilityReport, type CompatibilitySummary, type ComparedScope } from './lib/check';
export { diffSnapshots, FAMILIES, ruleFor, RULES, type Change, type DiffOptions, type Family, type Rule } from './lib/diff/index';
export type { Compatibility } from './lib/types';
export { formatReportText, reportToJson } from './lib/format';
export { introspect, type IntrospectOptions } from './lib/introspect/introspect';
export { parseSnapshot, type RawCatalog } from './lib/introspect/parse';
export { CATALOG_QUERIES } from './lib/introspect/queries';
export type * from './lib/model';
export { compareTypes, compareSequenceOptions, type TypeRef, type TypeVerdict } from './lib/types';
