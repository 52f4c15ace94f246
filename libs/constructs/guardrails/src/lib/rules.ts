/**
 * The guardrail catalogue's public face: the rules' metadata and their ids. Ids are API: suppressions and
 * docs/guardrails.md refer to them, so an id is never reused. Each rule is defined in its own file under ./rules/.
 */
import type { GuardrailRule } from './rule';
import { RULES } from './rules/index';

export type { GuardrailRule, GuardrailSeverity } from './rule';

export type GuardrailRuleId = (typeof RULES)[number]['id'];

/** Every rule, in id order (metadata: id, title, severity, what it refuses and reads, scanner rules, fix). */
export const GUARDRAIL_RULES: readonly GuardrailRule[] = RULES;

export function findRule(id: string): GuardrailRule | undefined {
  return RULES.find((rule) => rule.id === id);
}

export function isRuleId(id: string): id is GuardrailRuleId {
  return findRule(id) !== undefined;
}
