// `npm test`: every project's typecheck, lint and tests (and the peer-fixture replay where its fixtures are given),
// then one summary of everything that did not run, with the reason. Under CI=true a skipped test is a failure:
// CI must never pass on a proof that did not run. Extra arguments go to `nx run-many` (e.g. --skip-nx-cache).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const skipsDir = join(root, 'tmp', 'skips');
rmSync(skipsDir, { recursive: true, force: true });

const started = Date.now();
const nx = createRequire(import.meta.url).resolve('nx/bin/nx.js');
const args = [nx, 'run-many', '-t', 'typecheck', 'lint', 'test', 'peer', '--output-style=stream-without-prefixes', ...process.argv.slice(2)];
const run = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
const seconds = ((Date.now() - started) / 1000).toFixed(0);

const skipped = [];
if (existsSync(skipsDir)) {
  for (const file of readdirSync(skipsDir).sort()) {
    const { project, target, skipped: list } = JSON.parse(readFileSync(join(skipsDir, file), 'utf8'));
    for (const s of list) skipped.push({ where: `${project}:${target}`, title: s.title, file: s.file });
  }
}

const line = '-'.repeat(100);
console.log(`\n${line}\nnpm test: ${run.status === 0 ? 'passed' : 'FAILED'} in ${seconds} s`);
if (skipped.length === 0) console.log('Skipped: none (every test ran).');
else {
  console.log(`Skipped: ${skipped.length} test(s) did not run:`);
  for (const s of skipped) console.log(`  - [${s.where}] ${s.title}${s.file ? `  (${s.file.replace(`${root}/`, '')})` : ''}`);
}
console.log(line);

if (run.status !== 0) process.exit(run.status ?? 1);
if (skipped.length > 0 && process.env.CI === 'true') {
  console.error(`CI=true: ${skipped.length} skipped test(s) count as a failure; install what they name (see above).`);
  process.exit(1);
}
