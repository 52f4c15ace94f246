import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULES_TABLE_BEGIN, RULES_TABLE_END, guardrailRulesTable } from '@bluegreen/guardrails';
import { GUARDRAILS_DOC, main } from './guardrails-reference';

describe('npm run docs:guardrails (tools/scripts/guardrails-reference.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'docs-guardrails-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const quiet = () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    return { err, restore: () => (log.mockRestore(), err.mockRestore()) };
  };

  it('--check: 0 on the shipped document, 1 on a stale copy (left untouched), and a write makes it current', () => {
    const io = quiet();
    try {
      expect(main(['--check'])).toBe(0);
      const file = join(dir, 'stale.md');
      const stale = readFileSync(GUARDRAILS_DOC, 'utf8').replace(/\| BG013 \| ([^|]+) \| low \|/, '| BG013 | $1 | high |');
      writeFileSync(file, stale);
      expect(main(['--check'], file)).toBe(1);
      expect(io.err.mock.calls.join('\n')).toContain('the rules table is stale; run npm run docs:guardrails');
      expect(readFileSync(file, 'utf8')).toBe(stale);
      expect(main([], file)).toBe(0);
      expect(readFileSync(file, 'utf8')).toContain(guardrailRulesTable());
      expect(main(['--check'], file)).toBe(0);
    } finally {
      io.restore();
    }
  });

  it('keeps the hand-written parts and refuses (exit 2) a document without the generated block', () => {
    const io = quiet();
    try {
      const file = join(dir, 'doc.md');
      writeFileSync(file, `# Title\n\nintro\n\n${RULES_TABLE_BEGIN}\nold\n${RULES_TABLE_END}\n\ncatalogue\n`);
      expect(main([], file)).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe(`# Title\n\nintro\n\n${RULES_TABLE_BEGIN}\n${guardrailRulesTable()}\n${RULES_TABLE_END}\n\ncatalogue\n`);
      writeFileSync(join(dir, 'none.md'), '# no block\n');
      expect(main([], join(dir, 'none.md'))).toBe(2);
      expect(io.err.mock.calls.join('\n')).toMatch(/has no generated block/);
      expect(main([], join(dir, 'missing.md'))).toBe(2);
    } finally {
      io.restore();
    }
  });
});
