/**
 * The Lambda handler end to end against a real PostgreSQL; only the Secrets Manager client is faked, at its
 * boundary (aws-sdk-client-mock). TLS is disabled through the explicit test-only option for the local server;
 * one test shows the production setting refuses a server without TLS.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { connect } from '@bluegreen/pg-connect';
import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { mockClient } from 'aws-sdk-client-mock';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createHandler, RDS_CA_BUNDLE, type ValidatorResult } from '../src';

const BLUE_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:blue-db-AbCdEf';
const GREEN_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:green-db-AbCdEf';

let pg: TestPostgres;
let blue: URL;
let green: URL;
let greenBreaking: URL;
const sm = mockClient(SecretsManagerClient);

function secretFor(url: URL, password = decodeURIComponent(url.password)) {
  return JSON.stringify({ username: decodeURIComponent(url.username), password });
}

function env(b: URL, g: URL, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    BLUE_DB_HOST: b.hostname,
    BLUE_DB_PORT: b.port,
    BLUE_DB_NAME: b.pathname.slice(1),
    GREEN_DB_HOST: g.hostname,
    GREEN_DB_PORT: g.port,
    GREEN_DB_NAME: g.pathname.slice(1),
    ...extra,
  };
}

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: pino({ base: { service: 'schema-validator' } }, stream), lines };
}

beforeAll(async () => {
  pg = await startPostgres();
  const [b, g, gb] = await Promise.all([pg.createDatabase('svb'), pg.createDatabase('svg'), pg.createDatabase('svgb')]);
  const base = 'CREATE TABLE orders (id bigint PRIMARY KEY, note text); CREATE VIEW recent AS SELECT id FROM orders;';
  await Promise.all([pg.exec(b, base), pg.exec(g, `${base} ALTER TABLE orders ADD COLUMN shipped boolean DEFAULT false NOT NULL;`), pg.exec(gb, `${base} ALTER TABLE orders DROP COLUMN note;`)]);
  [blue, green, greenBreaking] = [new URL(b), new URL(g), new URL(gb)];
}, 60_000);
afterAll(async () => pg?.stop());
beforeEach(() => {
  sm.reset();
  sm.on(GetSecretValueCommand, { SecretId: BLUE_ARN }).resolves({ SecretString: secretFor(blue) });
  sm.on(GetSecretValueCommand, { SecretId: GREEN_ARN }).resolves({ SecretString: secretFor(green) });
});

const event = { blueSecretArn: BLUE_ARN, greenSecretArn: GREEN_ARN };

describe('schema-validator handler', () => {
  it('returns the compatible report, reads both secrets, and logs structured JSON without the password', async () => {
    const { logger, lines } = capture();
    const handler = createHandler({ secretsManager: new SecretsManagerClient({ region: 'us-east-1' }), tls: 'disable', env: env(blue, green), logger });
    const result = await handler(event, { awsRequestId: 'req-1' });
    expect(result).toMatchObject({ ok: true, compatible: true, summary: { incompatible: 0 }, catalogQueries: 12 });
    if (!result.ok) throw new Error('expected ok');
    expect(result.changes).toEqual([expect.objectContaining({ kind: 'column.added', object: 'public.orders.shipped', compatibility: 'compatible' })]);
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.SecretId).sort()).toEqual([BLUE_ARN, GREEN_ARN]);
    expect(lines.map((l) => l.msg)).toEqual(['schema check started', 'schema check: compatible']);
    expect(lines.every((l) => l.requestId === 'req-1' && l.service === 'schema-validator')).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(decodeURIComponent(blue.password));
    expect(JSON.stringify(result)).not.toContain(decodeURIComponent(blue.password));
  }, 30_000);

  it('returns incompatible with the breaking change named, and logs it as a warning', async () => {
    sm.on(GetSecretValueCommand, { SecretId: GREEN_ARN }).resolves({ SecretString: secretFor(greenBreaking) });
    const { logger, lines } = capture();
    const handler = createHandler({ secretsManager: new SecretsManagerClient({ region: 'us-east-1' }), tls: 'disable', env: env(blue, greenBreaking), logger });
    const result = await handler(event);
    expect(result).toMatchObject({ ok: true, compatible: false });
    if (!result.ok) throw new Error('expected ok');
    expect(result.changes).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'column.dropped', object: 'public.orders.note', compatibility: 'incompatible' })]));
    expect(lines.some((l) => l.level === 40 && String(l.msg).startsWith('incompatible: public.orders.note'))).toBe(true);
  }, 30_000);

  it('takes secret ARNs and schemas from the environment when the event leaves them out', async () => {
    const handler = createHandler({ secretsManager: new SecretsManagerClient({ region: 'us-east-1' }), tls: 'disable', env: env(blue, green, { BLUE_SECRET_ARN: BLUE_ARN, GREEN_SECRET_ARN: GREEN_ARN, VALIDATOR_SCHEMAS: 'public' }), logger: capture().logger });
    const result = await handler({});
    expect(result).toMatchObject({ ok: true, compatible: true, schemas: ['public'] });
  }, 30_000);

  const failures: Array<[string, () => Promise<ValidatorResult>, Partial<Record<string, unknown>>]> = [
    [
      'wrong password -> AuthenticationError',
      () => {
        sm.on(GetSecretValueCommand, { SecretId: GREEN_ARN }).resolves({ SecretString: secretFor(green, 'wrong-password') });
        return createHandler({ secretsManager: new SecretsManagerClient({ region: 'us-east-1' }), tls: 'disable', env: env(blue, green), logger: capture().logger })(event);
      },
      { errorType: 'AuthenticationError', code: '28P01', severity: 'FATAL' },
    ],
    [
      'unreachable host -> ConnectionError',
      () => {
        const dead = new URL(green.toString());
        dead.port = '1';
        return createHandler({ secretsManager: new SecretsManagerClient({ region: 'us-east-1' }), tls: 'disable', env: env(blue, dead), logger: capture().logger })(event);
      },
      { errorType: 'ConnectionError', code: 'ECONNREFUSED' },
    ],
    [
      'Secrets Manager refuses -> SecretsManagerError',
      () => {
        sm.on(GetSecretValueCommand, { SecretId: BLUE_ARN }).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
        return createHandler({ secretsManager: new SecretsManagerClient({ region: 'us-east-1' }), tls: 'disable', env: env(blue, green), logger: capture().logger })(event);
      },
      { errorType: 'SecretsManagerError', code: 'AccessDeniedException', colour: 'blue' },
    ],
    [
      'bad event -> ConfigurationError naming every field',
      () => createHandler({ secretsManager: new SecretsManagerClient({ region: 'us-east-1' }), tls: 'disable', env: {}, logger: capture().logger })({ blueSecretArn: 'not-an-arn', schemas: 'public', colour: 'x' }),
      { errorType: 'ConfigurationError' },
    ],
    [
      'secret that is not JSON -> ConfigurationError',
      () => {
        sm.on(GetSecretValueCommand, { SecretId: BLUE_ARN }).resolves({ SecretString: 'hunter2' });
        return createHandler({ secretsManager: new SecretsManagerClient({ region: 'us-east-1' }), tls: 'disable', env: env(blue, green), logger: capture().logger })(event);
      },
      { errorType: 'ConfigurationError', message: 'invalid configuration: blue secret: SecretString is not JSON' },
    ],
    [
      'production TLS setting against a server without TLS -> ConnectionError (never plaintext)',
      () => createHandler({ secretsManager: new SecretsManagerClient({ region: 'us-east-1' }), env: env(blue, green), logger: capture().logger })(event),
      { errorType: 'ConnectionError' },
    ],
  ];

  it.each(failures)('%s, never compatible', async (_name, run, expected) => {
    const result = await run();
    expect(result).toMatchObject({ ok: false, compatible: false, ...expected });
    expect(JSON.stringify(result)).not.toContain('hunter2');
  }, 30_000);

  it('a schema filter that names no schema on either side is a ConfigurationError naming it, never compatible', async () => {
    const handler = createHandler({ secretsManager: new SecretsManagerClient({ region: 'us-east-1' }), tls: 'disable', env: env(blue, green), logger: capture().logger });
    const result = await handler({ ...event, schemas: ['pubic'] });
    expect(result).toMatchObject({ ok: false, compatible: false, errorType: 'ConfigurationError' });
    if (result.ok) throw new Error('expected failure');
    expect(result.message).toContain('"pubic"');
    expect(result.message).toContain('did you mean "public"?');
  }, 30_000);

  it('nothing compared (every schema excluded) is NothingToCompare, never compatible', async () => {
    const handler = createHandler({ secretsManager: new SecretsManagerClient({ region: 'us-east-1' }), tls: 'disable', env: env(blue, green), logger: capture().logger });
    const result = await handler({ ...event, excludeSchemas: ['public'] });
    expect(result).toMatchObject({ ok: false, compatible: false, errorType: 'NothingToCompare', compared: { schemas: [], objects: 0 } });
    if (result.ok) throw new Error('expected failure');
    expect(result.message).toContain('nothing to compare');
  }, 30_000);

  it('reports which schemas it compared', async () => {
    const handler = createHandler({ secretsManager: new SecretsManagerClient({ region: 'us-east-1' }), tls: 'disable', env: env(blue, green), logger: capture().logger });
    const result = await handler(event);
    expect(result).toMatchObject({ ok: true, compatible: true, compared: { schemas: ['public'], objects: 2 } });
  }, 30_000);

  it('names every bad field of the event at once', async () => {
    const result = await createHandler({ tls: 'disable', env: {}, logger: capture().logger })({ blueSecretArn: 'not-an-arn', schemas: 'public', colour: 'x' });
    if (result.ok) throw new Error('expected failure');
    expect(result.message).toContain('event.colour: unknown field');
    expect(result.message).toContain('event.blueSecretArn: must be a Secrets Manager secret ARN');
    expect(result.message).toContain('event.greenSecretArn: must be a Secrets Manager secret ARN (or set env GREEN_SECRET_ARN)');
    expect(result.message).toContain('event.schemas: must be an array of schema names');
  });

  it('statement timeout (catalog read blocked behind DDL) -> TimeoutError', async () => {
    await pg.exec(green.toString(), 'CREATE VIEW locked_v AS SELECT 1 AS one');
    const holder = await connect({ url: green.toString(), applicationName: 'ddl-holder' });
    try {
      await holder.query('BEGIN; LOCK TABLE locked_v IN ACCESS EXCLUSIVE MODE');
      const handler = createHandler({ secretsManager: new SecretsManagerClient({ region: 'us-east-1' }), tls: 'disable', env: env(blue, green, { VALIDATOR_STATEMENT_TIMEOUT_MS: '300', VALIDATOR_LOCK_TIMEOUT_MS: '60000' }), logger: capture().logger });
      expect(await handler(event)).toMatchObject({ ok: false, compatible: false, errorType: 'TimeoutError', code: '57014' });
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
      await pg.exec(green.toString(), 'DROP VIEW locked_v');
    }
  }, 30_000);

  describe('one service of several: its schema from config (VALIDATOR_SERVICES, set by the stack)', () => {
    let svcBlue: URL;
    let svcGreen: URL;
    const SERVICES = JSON.stringify({ monolith: { schema: 'public' }, catalog: { schema: 'catalog' } });
    beforeAll(async () => {
      const [b, g] = await Promise.all([pg.createDatabase('svsvcb'), pg.createDatabase('svsvcg')]);
      const base = 'CREATE TABLE orders (id bigint PRIMARY KEY); CREATE SCHEMA catalog; CREATE TABLE catalog.items (id bigint PRIMARY KEY, title text);';
      // Green breaks the catalog schema only (a dropped column the old catalog code reads).
      await Promise.all([pg.exec(b, base), pg.exec(g, `${base} ALTER TABLE catalog.items DROP COLUMN title;`)]);
      [svcBlue, svcGreen] = [new URL(b), new URL(g)];
    }, 60_000);
    beforeEach(() => {
      sm.on(GetSecretValueCommand, { SecretId: BLUE_ARN }).resolves({ SecretString: secretFor(svcBlue) });
      sm.on(GetSecretValueCommand, { SecretId: GREEN_ARN }).resolves({ SecretString: secretFor(svcGreen) });
    });
    const handler = (extra: Record<string, string> = {}) =>
      createHandler({ secretsManager: new SecretsManagerClient({ region: 'us-east-1' }), tls: 'disable', env: env(svcBlue, svcGreen, { VALIDATOR_SERVICES: SERVICES, ...extra }), logger: capture().logger });

    it("checks exactly the service's schema: the monolith's is compatible, catalog's is not", async () => {
      expect(await handler()({ ...event, service: 'monolith' })).toMatchObject({ ok: true, compatible: true, compared: { schemas: ['public'] } });
      const catalog = await handler()({ ...event, service: 'catalog' });
      expect(catalog).toMatchObject({ ok: true, compatible: false, compared: { schemas: ['catalog'] } });
      if (!catalog.ok) throw new Error('expected a verdict');
      expect(catalog.changes).toEqual([expect.objectContaining({ object: 'catalog.items.title', compatibility: 'incompatible' })]);
    }, 30_000);

    it('refuses a service the environment does not have (naming those it has), and a service with schemas', async () => {
      const unknown = await handler()({ ...event, service: 'payments' });
      expect(unknown).toMatchObject({ ok: false, compatible: false, errorType: 'ConfigurationError' });
      if (unknown.ok) throw new Error('expected failure');
      expect(unknown.message).toContain('event.service: must be a service of this environment (monolith, catalog), got "payments"');
      const both = await handler()({ ...event, service: 'catalog', schemas: ['public'] });
      if (both.ok) throw new Error('expected failure');
      expect(both.message).toContain('event.schemas: must not be given with event.service');
      const unset = await createHandler({ tls: 'disable', env: env(svcBlue, svcGreen), logger: capture().logger })({ ...event, service: 'catalog' });
      if (unset.ok) throw new Error('expected failure');
      expect(unset.message).toContain('none configured: env VALIDATOR_SERVICES is not set');
    }, 30_000);
  });

  it('ships the Amazon RDS CA bundle', () => {
    expect(RDS_CA_BUNDLE.length).toBeGreaterThan(50);
    expect(RDS_CA_BUNDLE.every((pem) => pem.includes('BEGIN CERTIFICATE'))).toBe(true);
  });
});
