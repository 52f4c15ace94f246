export {
  BlueGreenGuardrails,
  GuardrailViolationError,
  formatFinding,
  type BlueGreenGuardrailsProps,
  type GuardrailFinding,
  type GuardrailReport,
  type SuppressedFinding,
} from './lib/guardrails';
export { GUARDRAIL_RULES, findRule, isRuleId, type GuardrailRule, type GuardrailRuleId } from './lib/rules';
export { suppressGuardrail, suppressionsFor, SUPPRESSION_METADATA_TYPE, MIN_REASON_LENGTH, type GuardrailSuppression } from './lib/suppression';
export { STAR_ONLY_ACTIONS, decodeJsonAttribute, findWildcardResourceGrants, parsePolicyStatements, type PolicyFinding } from './lib/iam';
