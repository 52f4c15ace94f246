// The validator's own handler (the built bundle) run locally against two real PostgreSQL databases.
import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { existsSync } from 'node:fs';
import { localValidator, VALIDATOR_BUNDLE } from './validator-local';

const built = existsSync(VALIDATOR_BUNDLE);
const it_ = built ? it : it.skip;
let pg: TestPostgres | undefined;
beforeAll(async () => {
  if (built) pg = await startPostgres();
}, 120_000);
afterAll(async () => pg?.stop());

describe('tools/scripts/validator-local', () => {
  it_(`answers as the function does: compatible, then incompatible after a drop (needs dist/apps/schema-validator: npm run build:validator)`, async () => {
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
