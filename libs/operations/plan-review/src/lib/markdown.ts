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

function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

/** The review as a pull-request comment. Empty sections are left out, so a weight-only change stays short. */
export function renderMarkdown(review: PlanReview, options: { title?: string } = {}): string {
  const c = review.counts;
  const lines: string[] = [];
  lines.push(`### ${options.title ?? 'Terraform plan review'}`);
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
    for (const b of review.blocking) lines.push(`> - **${b.category}** ${code(b.address)}: ${b.message}`);
    lines.push('');
  }
  if (review.traffic.length > 0) {
    lines.push('#### Traffic');
    for (const t of review.traffic) lines.push(`- ${code(t.address)}: **${t.description}**`);
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
        i.actionsAdded.length ? `adds ${i.actionsAdded.map(code).join(', ')}` : '',
        i.actionsRemoved.length ? `removes ${i.actionsRemoved.map(code).join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      lines.push(`- ${ICON[i.kind]} ${code(i.address)} (${i.kind})${detail ? `: ${detail}` : ''}`);
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
  if (review.outputChanges.length > 0) lines.push(`Outputs changing: ${review.outputChanges.map(code).join(', ')}`, '');
  return `${lines.join('\n').trimEnd()}\n`;
}
