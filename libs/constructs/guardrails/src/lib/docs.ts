/**
 * The rules table of docs/guardrails.md, rendered from the rules' own metadata (`npm run docs:guardrails` writes it;
 * a test fails when the file is stale).
 */
import type { GuardrailRule } from './rule';
import { GUARDRAIL_RULES } from './rules';

export const RULES_TABLE_BEGIN = '<!-- BEGIN guardrail rules: generated from libs/constructs/guardrails/src/lib/rules/ by `npm run docs:guardrails`; do not edit -->';
export const RULES_TABLE_END = '<!-- END guardrail rules -->';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function scannerCell(rule: GuardrailRule): string {
  const parts: string[] = [];
  if (rule.covers.length > 0) parts.push(rule.covers.join(', '));
  if (rule.contradicts && rule.contradicts.length > 0) parts.push(`contradicts ${rule.contradicts.join(', ')} by design`);
  return parts.length > 0 ? parts.join('; ') : '— (no scanner rule)';
}

/** The markdown table, one row per rule in id order. */
export function guardrailRulesTable(rules: readonly GuardrailRule[] = GUARDRAIL_RULES): string {
  const lines = [
    '| id | rule | severity | refuses | resources read | Checkov / Trivy | fix |',
    '|---|---|---|---|---|---|---|',
    ...rules.map((r) => `| ${r.id} | ${cell(r.title)} | ${r.severity} | ${cell(r.refuses)} | ${cell(r.reads)} | ${cell(scannerCell(r))} | ${cell(r.fix)} |`),
  ];
  return lines.join('\n');
}

/** The generated block, markers included. */
export function guardrailRulesSection(rules: readonly GuardrailRule[] = GUARDRAIL_RULES): string {
  return `${RULES_TABLE_BEGIN}\n${guardrailRulesTable(rules)}\n${RULES_TABLE_END}`;
}

/**
 * `doc` with its generated block replaced by the current one. Throws when the markers are missing or out of order
 * (the file would otherwise be rewritten somewhere unexpected).
 */
export function withGuardrailRulesSection(doc: string, rules: readonly GuardrailRule[] = GUARDRAIL_RULES): string {
  const begin = doc.indexOf(RULES_TABLE_BEGIN);
  const end = doc.indexOf(RULES_TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`the guardrails doc has no generated block (expected the line ${RULES_TABLE_BEGIN} and, after it, ${RULES_TABLE_END})`);
  return doc.slice(0, begin) + guardrailRulesSection(rules) + doc.slice(end + RULES_TABLE_END.length);
}
