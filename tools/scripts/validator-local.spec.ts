// The validator's own handler (the built bundle) run locally against two real PostgreSQL databases.
import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { localValidator, VALIDATOR_BUNDLE } from './validator-local';

const ROOT = join(__dirname, '..', '..');
let pg: TestPostgres | undefined;
beforeAll(async () => {
  // The function's own bundle, as `npm run build:validator` (and every synth) builds it.
  if (!existsSync(VALIDATOR_BUNDLE)) execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['--tsconfig', 'apps/schema-validator/tsconfig.json', 'apps/schema-validator/build.ts'], { cwd: ROOT, stdio: 'ignore' });
  pg = await startPostgres();
}, 180_000);
afterAll(async () => pg?.stop());

describe('tools/scripts/validator-local', () => {
  it('answers as the function does: compatible, then incompatible after a drop', async () => {
    const p = pg as TestPostgres;
    const blue = await p.createDatabase('local_blue');
    const green = await p.createDatabase('local_green');
    await p.exec(blue, 'CREATE TABLE orders (id bigint PRIMARY KEY, note text);');
    await p.exec(green, 'CREATE TABLE orders (id bigint PRIMARY KEY, note text, channel text);');
    const ok = await localValidator({ blue, green }, 'disable')({}, { getRemainingTimeInMillis: () => 60_000 });
    expect(ok).toMatchObject({ ok: true, compatible: true });
    await p.exec(green, 'ALTER TABLE orders DROP COLUMN note;');
    const bad = await localValidator({ blue, green }, 'disable')({}, { getRemainingTimeInMillis: () => 60_000 });
    expect(bad).toMatchObject({ ok: true, compatible: false });
  }, 120_000);
});
