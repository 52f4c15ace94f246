import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

// A test that cannot run is reported as skipped, with its reason, and recorded for the summary at the end of
// `npm test`; under CI=true it fails instead. Proven on a real child jest run of a fixture spec.
describe('itRequires: a test that cannot run is visible, never a silent pass', () => {
  const jest = require.resolve('jest/bin/jest');
  const config = join(__dirname, '..', 'jest.config.js');
  const fixture = join(__dirname, 'fixtures', 'requires.fixture.ts');
  const skips = mkdtempSync(join(tmpdir(), 'bluegreen-skips-'));
  afterAll(() => rmSync(skips, { recursive: true, force: true }));

  const runFixture = (env: Record<string, string | undefined>) => {
    const base: NodeJS.ProcessEnv = { ...process.env, BLUEGREEN_SKIPS_DIR: skips, NX_TASK_TARGET_PROJECT: 'fixture-project', NX_TASK_TARGET_TARGET: 'test' };
    delete base.CI;
    const r = spawnSync(process.execPath, [jest, '-c', config, '--testMatch', '**/requires.fixture.ts', '--runTestsByPath', fixture], {
      env: { ...base, ...env },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { status: r.status, output: stripVTControlCharacters(`${r.stdout}${r.stderr}`) }; // without colours (nx forces them)
  };

  it('outside CI: skipped with the reason in its title, recorded for the summary, the run passes', () => {
    const r = runFixture({});
    expect(r.status).toBe(0);
    expect(r.output).toMatch(/1 skipped, 1 passed/);
    const recorded = JSON.parse(readFileSync(join(skips, 'fixture-project.test.json'), 'utf8')) as { skipped: { title: string }[] };
    expect(recorded.skipped.map((s) => s.title)).toEqual(['a proof that needs a missing tool › frobnicates [skipped: missing the frobnicator CLI]']);
  }, 150_000);

  it('under CI=true: the same test fails, naming what is missing', () => {
    const r = runFixture({ CI: 'true' });
    expect(r.status).toBe(1);
    expect(r.output).toContain('CI=true: this test cannot run here: missing the frobnicator CLI');
    expect(r.output).toMatch(/1 failed, 1 passed/);
  }, 150_000);
});
