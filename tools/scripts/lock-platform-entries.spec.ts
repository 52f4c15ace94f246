// npm ci refuses a lock file that lacks the other platforms' optional native packages, which this registry snapshot
// cannot serve (see lock-platform-entries.mjs). A lock file in that state must not land: CI would fail at npm ci.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

it('package-lock.json carries an entry for every optional platform package (npm ci accepts it)', () => {
  const r = spawnSync(process.execPath, [join(__dirname, 'lock-platform-entries.mjs'), '--check'], { encoding: 'utf8' });
  expect(r.stdout).toContain('every optional platform package has an entry');
  expect(r.status).toBe(0);
});
