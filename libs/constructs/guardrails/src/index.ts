export {
  BlueGreenGuardrails,
  GuardrailViolationError,
  formatFinding,
  type BlueGreenGuardrailsProps,
  type GuardrailFinding,
  type GuardrailReport,
  type SuppressedFinding,
} from './lib/guardrails';
export { GUARDRAIL_RULES, findRule, isRuleId, type GuardrailRule, type GuardrailRuleId, type GuardrailSeverity } from './lib/rules';
export { SEVERITIES } from './lib/rule';
export { guardrailRulesSection, guardrailRulesTable, withGuardrailRulesSection, RULES_TABLE_BEGIN, RULES_TABLE_END } from './lib/docs';
export { suppressGuardrail, suppressionsFor, SUPPRESSION_METADATA_TYPE, MIN_REASON_LENGTH, type GuardrailSuppression } from './lib/suppression';
export { STAR_ONLY_ACTIONS, decodeJsonAttribute, findWildcardResourceGrants, parsePolicyStatements, type PolicyFinding } from './lib/iam';
