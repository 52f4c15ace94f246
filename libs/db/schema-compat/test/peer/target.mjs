// The `schema-compat:peer` target. The peer fixtures (before/after schema pairs of two other schema-diff projects)
// are not part of this repository: their directory comes only from BLUEGREEN_PEER_FIXTURES.
//   unset                  -> say that the replay was skipped and why, exit 0
//   set, not a fixture dir -> exit 1 (a wrong path must not pass as a skip)
//   set                    -> run the replay (jest.peer.config.js) and exit with its code
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ENV = 'BLUEGREEN_PEER_FIXTURES';
const dir = process.env[ENV];
if (!dir) {
  // Listed in the summary at the end of `npm test` (a failure there under CI=true).
  const skips = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..', 'tmp', 'skips');
  mkdirSync(skips, { recursive: true });
  writeFileSync(join(skips, 'schema-compat.peer.json'), JSON.stringify({ project: 'schema-compat', target: 'peer', skipped: [{ title: `peer-fixture replay: ${ENV} is not set (the fixtures are not part of the repository)` }] }));
  console.log(`schema-compat:peer SKIPPED: ${ENV} is not set. The peer-fixture replay (migra and pg-schema-diff before/after pairs) needs their directory, which is not part of the repository; set ${ENV}=<dir> to run it.`);
  process.exit(0);
}
const missing = ['README.md', 'VERDICTS.md', 'migra', join('pg-schema-diff', 'INDEX.json')].filter((f) => !existsSync(join(dir, f)));
if (missing.length > 0) {
  console.error(`schema-compat:peer FAILED: ${ENV}=${dir} is not a peer-fixture directory (missing: ${missing.join(', ')})`);
  process.exit(1);
}
const here = dirname(fileURLToPath(import.meta.url));
const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const result = spawnSync(process.execPath, [jest, '-c', resolve(here, '..', '..', 'jest.peer.config.js'), '--passWithNoTests=false', ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, [ENV]: resolve(dir) } });
process.exit(result.status ?? 1);
