// Deadlines against local endpoints that misbehave (AWS_ENDPOINT_URL points the SDK at them): one TCP listener that
// accepts and never answers, one HTTP server that answers 500 and throttling errors. The real command line runs in
// its own process, so "it exits" includes every socket and timer it left behind. Bounds are generous (the deadline
// plus a few seconds for start-up on a loaded machine), never timings.
import { failingEndpoint, silentEndpoint, testOutputsJson, type LocalEndpoint } from '@bluegreen/testing-aws';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const BIN = join(ROOT, 'apps/cli/bin/bluegreen.js');
const DEV = readFileSync(join(ROOT, 'apps/dev/environment.yaml'), 'utf8').replace('      blue: 100\n      green: 0', '      blue: 90\n      green: 10');
/** Start-up of the CLI (tsx) and process exit on a busy 2-core machine, on top of each deadline. */
const SLACK_S = 8;

let dir: string;
let file: string;
let outputs: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'traffic-deadlines-'));
  file = join(dir, 'environment.yaml');
  outputs = join(dir, 'outputs.json');
  writeFileSync(outputs, testOutputsJson());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => writeFileSync(file, DEV));

interface Ran {
  code: number | null;
  out: string;
  err: string;
  seconds: number;
}

function bluegreen(args: string[], endpoint: string, extraEnv: Record<string, string> = {}): Promise<Ran> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
    AWS_SECRET_ACCESS_KEY: 'local-test-secret',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_COLOR: '1',
    ...extraEnv,
  };
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err, seconds: (Date.now() - started) / 1000 }));
  });
}

const common = () => ['--env', 'dev', '--config', file, '--outputs', outputs, '--service', 'monolith'];
const measured: string[] = [];
afterAll(() => console.log(`measured against local endpoints:\n  ${measured.join('\n  ')}`));

describe('against an endpoint that accepts and never answers', () => {
  let silent: LocalEndpoint;
  beforeAll(async () => (silent = await silentEndpoint()));
  afterAll(async () => silent?.close());

  it('rollback (default deadline 20 s): exit 2, names the call and endpoint, says nothing was confirmed, points at --config-only and the apply', async () => {
    const r = await bluegreen(['traffic', 'rollback', ...common()], silent.url);
    measured.push(`rollback (default 20 s deadline): ${r.seconds.toFixed(1)} s, exit ${r.code}`);
    expect(r.code).toBe(2);
    expect(r.seconds).toBeLessThan(20 + SLACK_S);
    expect(r.err).toContain(`elasticloadbalancing:ModifyListener at ${silent.url}`);
    expect(r.err).toMatch(/may or may not have changed \(the call got no answer\); the config was not changed/);
    expect(r.err).toContain('bluegreen traffic rollback --env dev --service monolith --config-only, then apply the config');
    expect(readFileSync(file, 'utf8')).toBe(DEV);
  }, 60_000);

  it.each<[string, string[], number, RegExp]>([
    ['status', ['traffic', 'status', '--deadline', '5'], 5, /listener weights could not be read: the 5 s deadline of traffic status passed while waiting for elasticloadbalancing:DescribeListeners at /],
    ['shift', ['traffic', 'shift', '--to', 'green', '--percent', '25', '--deadline', '8'], 8, /gate schema:monolith: ERROR - the 8 s deadline of traffic shift passed while waiting for lambda:Invoke at /],
    ['watch', ['traffic', 'watch', '--minutes', '15', '--interval', '5', '--deadline', '8'], 8, /the 8 s deadline of traffic watch/],
  ])('%s: exit 2 within its deadline, naming the call and the endpoint', async (name, args, deadline, message) => {
    const r = await bluegreen([...args, ...common()], silent.url);
    measured.push(`${name} (--deadline ${deadline}): ${r.seconds.toFixed(1)} s, exit ${r.code}`);
    expect(r.code).toBe(2);
    expect(r.seconds).toBeLessThan(deadline + SLACK_S);
    expect(`${r.out}${r.err}`).toMatch(message);
    expect(`${r.out}${r.err}`).toContain(silent.url);
    expect(readFileSync(file, 'utf8')).toBe(DEV);
  }, 60_000);
});

describe('against an endpoint answering 500 and throttling errors', () => {
  let failing: LocalEndpoint;
  beforeAll(async () => (failing = await failingEndpoint()));
  afterAll(async () => failing?.close());

  it.each<[string, string[], RegExp]>([
    ['rollback', ['traffic', 'rollback'], /elasticloadbalancing:ModifyListener at http:\/\/127\.0\.0\.1:\d+: (server error 500|throttled) after 3 attempt\(s\)/],
    ['status', ['traffic', 'status'], /elasticloadbalancing:DescribeListeners at http:\/\/127\.0\.0\.1:\d+: (server error 500|throttled) after 3 attempt\(s\)/],
    ['shift', ['traffic', 'shift', '--to', 'green', '--percent', '25'], /gate schema:monolith: ERROR - lambda:Invoke at http:\/\/127\.0\.0\.1:\d+: (server error 500|throttled)/],
    ['watch', ['traffic', 'watch', '--minutes', '15', '--interval', '1'], /stopped: 3 read\(s\) in a row failed/],
  ])('%s: exit 2 after the bounded retry budget, well within its deadline', async (name, args, message) => {
    const before = failing.hits();
    const r = await bluegreen([...args, ...common()], failing.url);
    measured.push(`${name} vs 500/429: ${r.seconds.toFixed(1)} s, exit ${r.code}, ${failing.hits() - before} request(s)`);
    expect(r.code).toBe(2);
    expect(r.seconds).toBeLessThan(30);
    expect(`${r.out}${r.err}`).toMatch(message);
    expect(readFileSync(file, 'utf8')).toBe(DEV);
  }, 60_000);
});
