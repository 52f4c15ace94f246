import type { IConstruct } from 'constructs';
import { GUARDRAIL_RULES, isRuleId, type GuardrailRuleId } from './rules';

/** Metadata type under which suppressions are stored on a construct (visible in `construct.node.metadata`). */
export const SUPPRESSION_METADATA_TYPE = 'bluegreen:guardrail-suppression';

/** Shortest reason accepted: a suppression must say why, not just "ok". */
export const MIN_REASON_LENGTH = 10;

export interface GuardrailSuppression {
  readonly ruleId: GuardrailRuleId;
  readonly reason: string;
  /** Path of the construct the suppression was declared on (it covers that construct and everything below it). */
  readonly path: string;
}

/**
 * Suppresses one guardrail for `construct` and every construct below it. The reason is required and is listed in
 * the synth output (an info annotation per suppressed finding), so reviewers see every exception.
 *
 * @example suppressGuardrail(taskExecutionPolicy, 'BG009', 'ecr:GetAuthorizationToken only accepts Resource "*"')
 */
export function suppressGuardrail(construct: IConstruct, ruleId: string, reason: string): void {
  if (!isRuleId(ruleId)) {
    throw new Error(
      `suppressGuardrail: ruleId must be one of ${GUARDRAIL_RULES.map((r) => r.id).join(', ')}, got ${JSON.stringify(ruleId)}`,
    );
  }
  const trimmed = typeof reason === 'string' ? reason.trim() : '';
  if (trimmed.length < MIN_REASON_LENGTH) {
    throw new Error(
      `suppressGuardrail(${construct.node.path}, ${ruleId}): reason must explain the exception in at least ${MIN_REASON_LENGTH} characters, got ${JSON.stringify(reason)}`,
    );
  }
  construct.node.addMetadata(SUPPRESSION_METADATA_TYPE, { ruleId, reason: trimmed });
}

/** The suppressions that apply to `construct` (declared on it or on any of its scopes), nearest first. */
export function suppressionsFor(construct: IConstruct): GuardrailSuppression[] {
  const found: GuardrailSuppression[] = [];
  for (const scope of [...construct.node.scopes].reverse()) {
    for (const entry of scope.node.metadata) {
      if (entry.type !== SUPPRESSION_METADATA_TYPE) continue;
      const data = entry.data as { ruleId: GuardrailRuleId; reason: string };
      found.push({ ruleId: data.ruleId, reason: data.reason, path: scope.node.path });
    }
  }
  return found;
}
