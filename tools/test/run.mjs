// `npm test`: the whole workspace's typecheck and lint, every project's tests (and the peer-fixture replay where its fixtures are given),
// then one summary of everything that did not run, with the reason. Under CI=true a skipped test is a failure:
// CI must never pass on a proof that did not run. Extra arguments go to `nx run-many` (e.g. --skip-nx-cache).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const skipsDir = join(root, 'tmp', 'skips');
rmSync(skipsDir, { recursive: true, force: true });

const started = Date.now();
const bin = (pkg, path) => join(root, 'node_modules', pkg, path);
const failures = [];

/** Runs commands, at most two at a time (this is sized for a 2-core machine), each printing as it goes. */
async function runAll(steps) {
  const queue = [...steps];
  const worker = async () => {
    for (let step = queue.shift(); step; step = queue.shift()) {
      const t0 = Date.now();
      const code = await new Promise((resolve) => {
        const child = spawn(process.execPath, step.args, { cwd: root, stdio: step.quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
        child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
      });
      console.log(`== ${step.name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      if (code !== 0) failures.push(step.name);
    }
  };
  await Promise.all([worker(), worker()]);
}

// 0. The project graph, which the lint rule on module boundaries reads from Nx's cache: on a fresh clone, linting
//    before any Nx command would skip that rule with only a warning.
await runAll([{ name: 'project graph', args: [bin('nx', 'dist/bin/nx.js'), 'show', 'projects', '--json'], quiet: true }]);

// 1. Types and lint of the whole workspace, each as one program: one parse of the shared dependencies instead of
//    one per project (the per-project typecheck/lint targets check the same files, for nx affected and CI).
const tsc = bin('typescript', 'bin/tsc');
await runAll([
  { name: 'typecheck (whole workspace)', args: [tsc, '-p', 'tsconfig.typecheck.json'] },
  { name: 'lint (whole workspace)', args: [bin('eslint', 'bin/eslint.js'), '--max-warnings=0', '.'] },
  // The services' own applications, each with its own settings (DOM lib), whatever services exist.
  ...readdirSync(join(root, 'apps', 'services'))
    .filter((name) => existsSync(join(root, 'apps', 'services', name, 'tsconfig.json')))
    .map((name) => ({ name: `typecheck (service ${name})`, args: [tsc, '-p', join('apps', 'services', name, 'tsconfig.json'), '--noEmit'] })),
]);

// 2. Every project's tests, and the peer-fixture replay where its fixtures are given.
await runAll([{ name: 'tests (nx run-many -t test peer)', args: [bin('nx', 'dist/bin/nx.js'), 'run-many', '-t', 'test', 'peer', '--output-style=stream-without-prefixes', ...process.argv.slice(2)] }]);
const run = { status: failures.length === 0 ? 0 : 1 };
const seconds = ((Date.now() - started) / 1000).toFixed(0);

const skipped = [];
if (existsSync(skipsDir)) {
  for (const file of readdirSync(skipsDir).sort()) {
    const { project, target, skipped: list } = JSON.parse(readFileSync(join(skipsDir, file), 'utf8'));
    for (const s of list) skipped.push({ where: `${project}:${target}`, title: s.title, file: s.file });
  }
}

const line = '-'.repeat(100);
console.log(`\n${line}\nnpm test: ${run.status === 0 ? 'passed' : `FAILED (${failures.join(', ')})`} in ${seconds} s`);
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
