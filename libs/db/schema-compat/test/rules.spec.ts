/** The rule catalogue and the documentation generated from it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAMILIES, renderRulesTable, ruleFor, RULES, RULES_TABLE_BEGIN, RULES_TABLE_END } from '../src';

const DOC = join(__dirname, '..', '..', '..', '..', 'docs', 'schema-compatibility.md');

describe('change-kind rules', () => {
  it('declare every kind once, with a hint wherever a change can break, in a known family', () => {
    const kinds = RULES.flatMap((r) => r.kinds);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const r of RULES) {
      expect(FAMILIES).toContain(r.family);
      if (r.verdicts.incompatible || r.verdicts.warning) expect(r.hint?.length ?? 0).toBeGreaterThan(20);
      for (const k of r.kinds) expect(ruleFor(k)).toBe(r);
    }
    // every family the documentation promises has rules
    for (const f of FAMILIES) expect(RULES.some((r) => r.family === f)).toBe(true);
  });

  it('docs/schema-compatibility.md holds the table generated from them (run `npx nx run schema-compat:docs` when this fails)', () => {
    const doc = readFileSync(DOC, 'utf8');
    const begin = doc.indexOf(RULES_TABLE_BEGIN);
    const end = doc.indexOf(RULES_TABLE_END);
    expect(begin).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(begin);
    expect(doc.slice(begin + RULES_TABLE_BEGIN.length, end).trim()).toBe(renderRulesTable(RULES));
    for (const kind of RULES.flatMap((r) => r.kinds)) expect(doc).toContain(`\`${kind}\``);
  });
});
