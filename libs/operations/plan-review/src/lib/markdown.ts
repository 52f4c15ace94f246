import type { ChangeKind, PlanReview } from './review';

const ICON: Readonly<Record<ChangeKind, string>> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
  'no-op': ' ',
  read: '<=',
  forget: '(forget)',
};

/** Control characters (newlines above all) shown as visible escapes: plan text never starts a line of its own. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return String(s).replace(/\r\n|[\r\n\u2028\u2029]/g, '\\n').replace(/\t/g, '\\t').replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * A plan-derived string as an inline code span: nothing inside is markdown or HTML (no links, images, emphasis,
 * mentions or tags). The fence is one backtick longer than the longest run inside; in a table cell `|` is escaped
 * (GitHub splits cells on it even inside code spans).
 */
export function mdCode(s: string, cell = false): string {
  let text = oneLine(s);
  if (cell) text = text.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * A plan-derived string as plain text: HTML special characters as entities and every ASCII punctuation character
 * that markdown gives meaning to backslash-escaped, so it renders as exactly these characters.
 */
export function mdText(s: string): string {
  // `.` and `-` only mean something at the start of a line, which plan text never is (oneLine); `:` and `@` only
  // as an autolink (`https://`) or a mention (`@team`).
  return oneLine(s)
    .replace(/[\\`*_{}[\]()#+!|~]|:(?=\/\/)|@(?=[\w-])/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

const code = (s: string) => mdCode(s, true);

/** The review as a pull-request comment. Empty sections are left out, so a weight-only change stays short. */
export function renderMarkdown(review: PlanReview, options: { title?: string } = {}): string {
  const c = review.counts;
  const lines: string[] = [];
  lines.push(`### ${options.title !== undefined ? mdText(options.title) : 'Terraform plan review'}`);
  lines.push('');
  const total = c.create + c.update + c.replace + c.delete + c.forget;
  if (total === 0) {
    lines.push(`**No changes.** ${c['no-op']} resource(s) unchanged.`);
  } else {
    lines.push(
      `**${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to destroy**` +
        `${c.forget ? `, ${c.forget} to forget` : ''} (${c['no-op']} unchanged)`,
    );
  }
  lines.push('');
  if (review.blocking.length > 0) {
    lines.push(`> [!CAUTION]`);
    lines.push(`> **Blocking** (\`--fail-on ${review.failOn.join(',')}\`): ${review.blocking.length} finding(s)`);
    for (const b of review.blocking) lines.push(`> - **${b.category}** ${mdCode(b.address)}: ${mdText(b.message)}`);
    lines.push('');
  }
  if (review.traffic.length > 0) {
    lines.push('#### Traffic');
    for (const t of review.traffic) lines.push(`- ${mdCode(t.address)}: **${mdText(t.description)}**`);
    lines.push('');
  }
  if (review.redFlags.length > 0) {
    lines.push('#### Red flags: stateful resources replaced or destroyed');
    lines.push('| resource | action | why |');
    lines.push('|---|---|---|');
    for (const r of review.redFlags) {
      const why = [r.replacePaths.length ? `forced by ${r.replacePaths.map(code).join(', ')}` : '', r.actionReason ? code(r.actionReason) : '']
        .filter(Boolean)
        .join('; ');
      lines.push(`| ${code(r.address)} | **${r.kind}** | ${why || '-'} |`);
    }
    lines.push('');
  }
  if (review.iam.length > 0) {
    lines.push('#### IAM changes');
    for (const i of review.iam) {
      const detail = [
        i.actionsAdded.length ? `adds ${i.actionsAdded.map((a) => mdCode(a)).join(', ')}` : '',
        i.actionsRemoved.length ? `removes ${i.actionsRemoved.map((a) => mdCode(a)).join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      lines.push(`- ${ICON[i.kind]} ${mdCode(i.address)} (${i.kind})${detail ? `: ${detail}` : ''}`);
    }
    lines.push('');
  }
  if (review.byType.length > 0) {
    lines.push('<details><summary>Changes by resource type</summary>');
    lines.push('');
    lines.push('| type | create | update | replace | destroy |');
    lines.push('|---|---:|---:|---:|---:|');
    for (const t of review.byType) lines.push(`| ${code(t.type)} | ${t.create} | ${t.update} | ${t.replace} | ${t.delete} |`);
    lines.push('');
    lines.push('| | resource |');
    lines.push('|---|---|');
    for (const ch of review.changes) lines.push(`| ${ICON[ch.kind]} | ${code(ch.address)}${ch.replacePaths.length ? ` (forced by ${ch.replacePaths.map(code).join(', ')})` : ''} |`);
    lines.push('');
    lines.push('</details>');
    lines.push('');
  }
  if (review.outputChanges.length > 0) lines.push(`Outputs changing: ${review.outputChanges.map((o) => mdCode(o)).join(', ')}`, '');
  return `${lines.join('\n').trimEnd()}\n`;
}
