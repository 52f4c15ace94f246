/* Rewrites the generated table of change kinds in docs/schema-compatibility.md from the rules. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES, withRulesTable } from '../src';

const file = join(__dirname, '..', '..', '..', '..', 'docs', 'schema-compatibility.md');
const before = readFileSync(file, 'utf8');
const after = withRulesTable(before, RULES);
writeFileSync(file, after);
console.log(before === after ? `${file}: already up to date (${RULES.length} rules)` : `${file}: change-kind table rewritten (${RULES.length} rules, ${RULES.reduce((n, r) => n + r.kinds.length, 0)} kinds)`);
