/** The documentation's table of every change kind, generated from the rules (docs/schema-compatibility.md). */
import { FAMILIES, type Rule } from './rule';

export const RULES_TABLE_BEGIN = '<!-- BEGIN GENERATED: change kinds (from the rules in libs/db/schema-compat/src/lib/diff; `npx nx run schema-compat:docs` rewrites it) -->';
export const RULES_TABLE_END = '<!-- END GENERATED: change kinds -->';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** One Markdown table: a row per rule, ordered by family; every verdict with when and why, and the hint. */
export function renderRulesTable(rules: readonly Rule[]): string {
  const lines = ['| family | change kind(s) | change | verdict: when and why | make it compatible |', '|---|---|---|---|---|'];
  const ordered = [...rules].sort((a, b) => FAMILIES.indexOf(a.family) - FAMILIES.indexOf(b.family));
  for (const r of ordered) {
    const verdicts = (['incompatible', 'warning', 'compatible'] as const)
      .filter((v) => r.verdicts[v])
      .map((v) => `**${v}**: ${cell(r.verdicts[v] ?? '')}`)
      .join('<br>');
    const kinds = r.kinds.map((k) => `\`${k}\``).join(', ');
    const role = r.roleDependent ? ' (depends on the application role)' : '';
    lines.push(`| ${r.family} | ${kinds} | ${cell(r.change)}${role} | ${verdicts} | ${r.hint ? cell(r.hint) : '—'} |`);
  }
  return lines.join('\n');
}

/** Replaces the generated section of a document (between the markers) with a fresh table. */
export function withRulesTable(document: string, rules: readonly Rule[]): string {
  const begin = document.indexOf(RULES_TABLE_BEGIN);
  const end = document.indexOf(RULES_TABLE_END);
  if (begin < 0 || end < begin) throw new Error('the document has no generated change-kind section (markers missing)');
  return `${document.slice(0, begin + RULES_TABLE_BEGIN.length)}\n${renderRulesTable(rules)}\n${document.slice(end)}`;
}
