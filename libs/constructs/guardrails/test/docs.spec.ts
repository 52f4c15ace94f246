/**
 * The catalogue is its own documentation: one file per rule carrying its metadata, docs/guardrails.md's rules table
 * generated from it (stale = failure), and the Checkov/Trivy catalogue in that document agreeing with each rule's
 * list of scanner rules.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GUARDRAIL_RULES, guardrailRulesTable, SEVERITIES, withGuardrailRulesSection, type GuardrailRule } from '../src';

const DOC = join(__dirname, '..', '..', '..', '..', 'docs', 'guardrails.md');
const RULES_DIR = join(__dirname, '..', 'src', 'lib', 'rules');
const doc = readFileSync(DOC, 'utf8');

/** `CKV_AWS_53..56` and `AVD-AWS-0086/0087` spelled out, one id each. */
function scannerIds(text: string): string[] {
  const ids: string[] = [];
  for (const m of text.matchAll(/\b(CKV2?_AWS_)(\d+)(?:\.\.(\d+))?|\b(AVD-AWS-)(\d{4}((?:\/\d{4})*))/g)) {
    if (m[1]) {
      const from = Number(m[2]);
      const to = m[3] ? Number(m[3]) : from;
      for (let n = from; n <= to; n++) ids.push(`${m[1]}${n}`);
    } else {
      for (const n of m[5].split('/')) ids.push(`${m[4]}${n}`);
    }
  }
  return ids;
}

/** Rows of the scanner catalogue tables: the scanner rules of the first cell, the rules bolded in the last. */
function catalogueRows(): Array<{ line: string; ids: string[]; guardrails: string[] }> {
  const catalogue = doc.slice(doc.indexOf('## Checkov and Trivy'));
  return catalogue
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| scanner rule'))
    .map((line) => {
      const cells = line.split(' | ');
      return { line, ids: scannerIds(cells[0]), guardrails: [...cells[cells.length - 1].matchAll(/\*\*(BG\d{3})\*\*/g)].map((m) => m[1]) };
    });
}

describe('guardrail rules: one file each, with their metadata', () => {
  it('each rule lives in its own bgNNN-*.ts file under src/lib/rules, in id order', () => {
    const files = readdirSync(RULES_DIR).filter((f) => /^bg\d{3}-.+\.ts$/.test(f)).sort();
    expect(files.map((f) => f.slice(0, 5).toUpperCase())).toEqual(GUARDRAIL_RULES.map((r) => r.id));
    for (const file of files) {
      const source = readFileSync(join(RULES_DIR, file), 'utf8');
      expect((source.match(/defineRule\(/g) ?? []).length).toBe(1);
      expect(source).toContain(`id: '${file.slice(0, 5).toUpperCase()}'`);
    }
  });

  it.each(GUARDRAIL_RULES.map((r) => [r.id, r] as const))('%s has a title, a severity, what it refuses and reads, its scanner rules and a fix', (_id, rule) => {
    expect(rule.id).toMatch(/^BG\d{3}$/);
    expect(SEVERITIES).toContain(rule.severity);
    for (const text of [rule.title, rule.refuses, rule.reads, rule.fix]) expect(text.trim().length).toBeGreaterThan(5);
    for (const id of [...rule.covers, ...(rule.contradicts ?? [])]) expect(id).toMatch(/^(CKV2?_AWS_\d+|AVD-AWS-\d{4})$/);
    expect(new Set(rule.covers).size).toBe(rule.covers.length);
  });
});

describe('docs/guardrails.md', () => {
  it('holds the rules table as generated from the rules (run npm run docs:guardrails after changing a rule)', () => {
    expect(withGuardrailRulesSection(doc)).toBe(doc);
    expect(doc).toContain(guardrailRulesTable());
  });

  it('the staleness check is real: a changed severity or scanner list no longer matches', () => {
    const changed: GuardrailRule[] = GUARDRAIL_RULES.map((r) => (r.id === 'BG012' ? { ...r, severity: 'low' } : r));
    expect(withGuardrailRulesSection(doc, changed)).not.toBe(doc);
    const fewer: GuardrailRule[] = GUARDRAIL_RULES.map((r) => (r.id === 'BG008' ? { ...r, covers: r.covers.slice(1) } : r));
    expect(withGuardrailRulesSection(doc, fewer)).not.toBe(doc);
  });

  it('the Checkov/Trivy catalogue marks a scanner rule **BGnnn** exactly when that rule lists it', () => {
    const rows = catalogueRows();
    expect(rows.length).toBeGreaterThan(50);
    const byRule = new Map(GUARDRAIL_RULES.map((r) => [r.id, new Set([...r.covers, ...(r.contradicts ?? [])])]));
    const marked = new Map<string, Set<string>>();
    for (const row of rows) {
      for (const id of row.guardrails) {
        const listed = byRule.get(id);
        expect({ row: row.line, known: listed !== undefined }).toEqual({ row: row.line, known: true });
        const missing = row.ids.filter((s) => !listed?.has(s));
        expect({ row: row.line, missing }).toEqual({ row: row.line, missing: [] });
        for (const s of row.ids) (marked.get(id) ?? marked.set(id, new Set()).get(id))?.add(s);
      }
    }
    for (const rule of GUARDRAIL_RULES) {
      const unmarked = [...(byRule.get(rule.id) ?? [])].filter((s) => !marked.get(rule.id)?.has(s));
      expect({ rule: rule.id, unmarked }).toEqual({ rule: rule.id, unmarked: [] });
    }
  });
});
