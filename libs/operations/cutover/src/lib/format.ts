/** Text forms of the workflow results (the `--format json` form is the result object itself). */
import type { Read } from './ports';
import type { MigrationStatus, SwitchResult, TaskReport } from './workflows';

const show = <T>(r: Read<T>, f: (v: T) => string): string => (r.ok ? f(r.value) : `unknown (${r.error})`);

function task(r: TaskReport): string[] {
  return [
    `${r.role} task ${r.taskArn}`,
    `  state:       ${show(r.state, (s) => `${s.status}${s.fullLoadPercent !== undefined ? ` (full load ${s.fullLoadPercent} %)` : ''}${s.stopReason ? `, ${s.stopReason}` : ''}`)}`,
    `  CDC latency: ${show(r.latency, (l) => `source ${l.source ?? 'no data'}${l.source !== undefined ? ' s' : ''}, target ${l.target ?? 'no data'}${l.target !== undefined ? ' s' : ''}`)}`,
    `  validation:  ${show(r.validation, (v) => `${v.validated} validated, ${v.pending} pending, ${v.failed} failed of ${v.tables} table(s)${v.failedTables.length ? `: ${v.failedTables.join(', ')}` : ''}`)}`,
    `  last error:  ${show(r.state, (s) => s.lastError ?? 'none')}`,
  ];
}

export function formatStatus(s: MigrationStatus): string {
  const lines = [...task(s.forward), ...(s.reverse ? task(s.reverse) : ['reverse task: none (migration.reverse.enabled is false)'])];
  if (s.notes.length) lines.push('', ...s.notes.map((n) => `- ${n}`));
  lines.push('', s.outcome === 'ok' ? 'OK' : s.outcome === 'attention' ? 'ATTENTION: see above' : 'UNKNOWN: some values could not be read (see above)');
  return lines.join('\n');
}

const MARK = { pass: 'ok  ', fail: 'FAIL', unknown: '??  ' } as const;
const RESULT = { done: 'done', skipped: 'skip', operator: 'you ', failed: 'FAIL', 'not-reached': '    ' } as const;

export function formatSwitch(r: SwitchResult): string {
  const lines = [`${r.direction} checks:`, ...r.checks.map((c) => `  [${MARK[c.status]}] ${c.check}: ${c.detail}`), '', `${r.direction} steps, in order:`];
  r.steps.forEach((s, i) => lines.push(`  ${i + 1}. [${RESULT[s.result]}] (${s.step.by}) ${s.step.text}${s.detail ? ` — ${s.detail}` : ''}`));
  const verdict = {
    ready: `READY: every check passed. Do the steps in order; --execute --writes-stopped performs the automatic ones.`,
    done: `DONE: the automatic steps ran; finish the operator steps that follow them.`,
    blocked: `BLOCKED: a check failed; do not ${r.direction}.`,
    failed: `FAILED: a step failed (above); nothing after it was done.`,
    unknown: `UNKNOWN: a check could not be decided; do not ${r.direction} until it can.`,
  }[r.outcome];
  lines.push('', verdict);
  return lines.join('\n');
}
