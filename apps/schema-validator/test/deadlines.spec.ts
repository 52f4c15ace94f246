/**
 * Every call the validator makes has a deadline inside the function's own timeout: a dependency that never answers
 * ends as a "could not check" result naming the call, not as a Lambda timeout. The hung dependencies are real
 * local listeners that accept connections and never answer.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createHandler } from '../src';
import { deadlineFrom, marginFor } from '../src/lib/deadline';

const BLUE_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:blue-db-AbCdEf';
const GREEN_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:green-db-AbCdEf';
const PASSWORD = 'pw-Zq8!never-in-logs';

/** A TCP listener that accepts and never says a word. */
async function silentListener(): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

function capture() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { logger: pino({ base: { service: 'schema-validator' } }, stream), text: () => chunks.join('') };
}

const context = (remainingMs: number) => {
  const end = Date.now() + remainingMs;
  return { awsRequestId: 'req-deadline', getRemainingTimeInMillis: () => end - Date.now() };
};

describe('deadline budget', () => {
  it('keeps a margin of 10 % (1-5 s) of the remaining time for returning the result', () => {
    expect(marginFor(3_000)).toBe(1_000);
    expect(marginFor(30_000)).toBe(3_000);
    expect(marginFor(900_000)).toBe(5_000);
    const d = deadlineFrom({ getRemainingTimeInMillis: () => 30_000 });
    expect(d.totalMs).toBe(27_000);
    expect(d.budget(5_000)).toBe(5_000);
    expect(d.budget(60_000)).toBeLessThanOrEqual(27_000);
  });
});

describe('a dependency that never answers', () => {
  let hung: Awaited<ReturnType<typeof silentListener>>;
  beforeEach(async () => (hung = await silentListener()));
  afterEach(async () => hung.close());

  it('Secrets Manager: TimeoutError naming the read, inside the function timeout', async () => {
    const sm = new SecretsManagerClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${hung.port}`, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x'.repeat(40) }, maxAttempts: 1 });
    const { logger } = capture();
    const handler = createHandler({ secretsManager: sm, tls: 'disable', env: { BLUE_DB_HOST: '127.0.0.1', GREEN_DB_HOST: '127.0.0.1' }, logger });
    const remaining = 4_000;
    const t0 = Date.now();
    const result = await handler({ blueSecretArn: BLUE_ARN, greenSecretArn: GREEN_ARN }, context(remaining));
    const took = Date.now() - t0;
    expect(result).toMatchObject({ ok: false, compatible: false, errorType: 'TimeoutError', call: expect.stringMatching(/^(blue|green) Secrets Manager read \(GetSecretValue arn:aws:secretsmanager:/) });
    if (result.ok) throw new Error('expected failure');
    expect(result.message).toMatch(/^could not check: (blue|green) Secrets Manager read .* did not answer within \d+ ms$/);
    // The result came back before the function would have been killed.
    expect(took).toBeLessThan(remaining);
    sm.destroy();
  }, 20_000);

  it('database connect: TimeoutError naming the colour and the database, never the password', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: 'app', password: PASSWORD }) });
    const { logger, text } = capture();
    const env = { BLUE_DB_HOST: '127.0.0.1', BLUE_DB_PORT: String(hung.port), BLUE_DB_NAME: 'orders', GREEN_DB_HOST: '127.0.0.1', GREEN_DB_PORT: String(hung.port), GREEN_DB_NAME: 'orders_green' };
    const handler = createHandler({ secretsManager: new SecretsManagerClient({ region: 'us-east-1' }), tls: 'disable', env, logger });
    const remaining = 5_000;
    const t0 = Date.now();
    const result = await handler({ blueSecretArn: BLUE_ARN, greenSecretArn: GREEN_ARN }, context(remaining));
    const took = Date.now() - t0;
    expect(result).toMatchObject({ ok: false, compatible: false, errorType: 'TimeoutError' });
    if (result.ok) throw new Error('expected failure');
    expect(result.call).toMatch(/^(blue database connect \(127\.0\.0\.1:\d+\/orders\)|green database connect \(127\.0\.0\.1:\d+\/orders_green\))$/);
    expect(result.message).toMatch(/^could not check: (blue|green) database connect/);
    expect(took).toBeLessThan(remaining);
    expect(JSON.stringify(result) + text()).not.toContain(PASSWORD);
    sm.restore();
  }, 20_000);

  it('with no time left at all, nothing is called and the result says which call had no time', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).callsFake(() => new Promise(() => undefined));
    const handler = createHandler({ secretsManager: new SecretsManagerClient({ region: 'us-east-1' }), tls: 'disable', env: { BLUE_DB_HOST: 'h', GREEN_DB_HOST: 'h' }, logger: capture().logger });
    const result = await handler({ blueSecretArn: BLUE_ARN, greenSecretArn: GREEN_ARN }, context(900));
    expect(result).toMatchObject({ ok: false, errorType: 'TimeoutError', call: expect.stringMatching(/Secrets Manager read/) });
    sm.restore();
  }, 20_000);
});
