/**
 * `npm run docs:guardrails`: rewrites the rules table of docs/guardrails.md from the rules' own metadata
 * (libs/constructs/guardrails/src/lib/rules/*.ts: id, title, severity, what it refuses and reads, the Checkov and
 * Trivy rules it covers, fix). The rest of the document is left as written.
 *
 *   npm run docs:guardrails              write the table
 *   npm run docs:guardrails -- --check   exit 1 when the table is stale (nothing written)
 *
 * Exit codes: 0 written or up to date; 1 stale (--check); 2 the document could not be read or has no generated block.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withGuardrailRulesSection } from '@bluegreen/guardrails';

export const GUARDRAILS_DOC = join(resolve(__dirname, '..', '..'), 'docs', 'guardrails.md');

export function main(argv: readonly string[], file = GUARDRAILS_DOC): number {
  const check = argv.includes('--check');
  let current: string;
  let updated: string;
  try {
    current = readFileSync(file, 'utf8');
    updated = withGuardrailRulesSection(current);
  } catch (e) {
    console.error(`docs:guardrails: ${(e as Error).message}`);
    return 2;
  }
  if (updated === current) {
    console.log(`${file}: up to date`);
    return 0;
  }
  if (check) {
    console.error(`${file}: the rules table is stale; run npm run docs:guardrails`);
    return 1;
  }
  writeFileSync(file, updated);
  console.log(`${file}: rules table written`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
