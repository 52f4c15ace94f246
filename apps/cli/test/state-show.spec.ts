// `bluegreen state show` against a local S3-compatible server (s3rver): the state object is read straight from the
// bucket with the SDK; no terraform binary, no provider, no lock. The state is put there with a plain PutObject,
// as the S3 backend writes it.
import { ElasticLoadBalancingV2Client, ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { Command } from 'commander';
import { registerTrafficCommands } from '../src/commands/traffic';
import { failingEndpoint, silentEndpoint, startLocalS3, TEST_ARNS, testContract, testStateDocument as liveState, type LocalS3 } from '@bluegreen/testing-aws';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStateShow } from '../src/commands/state';

const ROOT = join(__dirname, '../../..');
const bucket = 'bluegreen-tfstate-111111111111';
let s3: LocalS3;
let dir: string;
let configFile: string;
const saved = { ...process.env };

beforeAll(async () => {
  s3 = await startLocalS3([bucket]);
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey, AWS_REGION: 'us-east-1' });
  delete process.env.AWS_PROFILE;
  dir = mkdtempSync(join(tmpdir(), 'state-show-'));
  configFile = join(dir, 'environment.yaml');
  writeFileSync(configFile, readFileSync(join(ROOT, 'apps/dev/environment.yaml'), 'utf8'));
  const client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials });
  // The state as the stack writes it: resources, and the `bluegreen` contract output the traffic commands read.
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'dev/terraform.tfstate', Body: liveState(7, { bluegreen: { value: testContract(), type: ['object', {}] } }) }));
  // An apply holding the lock does not stop a read.
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'dev/terraform.tfstate.tflock', Body: JSON.stringify({ ID: 'x', Operation: 'OperationTypeApply' }) }));
}, 60_000);

afterAll(async () => {
  process.env = saved;
  await s3?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const capture = () => {
  const io = { out: '', err: '', stdout: (s: string) => void (io.out += s), stderr: (s: string) => void (io.err += s) };
  return io;
};

describe('bluegreen state show (remote state object, no terraform)', () => {
  it('prints modules, colours, live weights and database endpoints/versions, and where the state came from', async () => {
    const io = capture();
    const env = { ...process.env };
    process.env.PATH = '/nonexistent'; // no terraform on PATH: nothing shells out
    try {
      expect(await runStateShow({ env: 'dev', config: configFile, endpoint: s3.endpoint }, io)).toBe(0);
    } finally {
      process.env = env;
    }
    expect(io.err).toBe('');
    expect(io.out).toMatch(/^State s3:\/\/bluegreen-tfstate-111111111111\/dev\/terraform.tfstate \(remote state, serial 7, written \d{4}-/);
    expect(io.out).toMatch(/aws_lb_listener\.compute_https-listener_66666666 :443 {2}blue 90, green 10/);
    expect(io.out).toContain('writer aurora-green-dev.cluster-abc.us-east-1.rds.amazonaws.com');
    expect(io.out).not.toContain('never-printed');
    const json = capture();
    expect(await runStateShow({ env: 'dev', config: configFile, endpoint: s3.endpoint, format: 'json' }, json)).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ environment: 'dev', location: `s3://${bucket}/dev/terraform.tfstate`, resourceCount: 8, weights: [{ targets: [{ label: 'blue', weight: 90 }, { label: 'green', weight: 10 }] }] });
  }, 60_000);

  it('exits 2 naming the object when there is no state at the key, 64 for a bad format or env name', async () => {
    const missing = join(dir, 'missing.yaml');
    writeFileSync(missing, readFileSync(configFile, 'utf8').replace(/^state:\n {2}bucket: .*$/m, `state:\n  bucket: ${bucket}\n  key: nowhere/terraform.tfstate`));
    const io = capture();
    expect(await runStateShow({ env: 'dev', config: missing, endpoint: s3.endpoint }, io)).toBe(2);
    expect(io.err).toContain('no state at s3://bluegreen-tfstate-111111111111/nowhere/terraform.tfstate');
    expect(await runStateShow({ env: 'dev', config: configFile, endpoint: s3.endpoint, format: 'yaml' }, capture())).toBe(64);
    expect(await runStateShow({ env: 'Nope!' }, capture())).toBe(64);
  }, 60_000);

  it('a silent endpoint: exit 2 within the deadline, naming the call and the endpoint', async () => {
    const silent = await silentEndpoint();
    try {
      const io = capture();
      const started = Date.now();
      expect(await runStateShow({ env: 'dev', config: configFile, endpoint: silent.url, deadline: '3' }, io)).toBe(2);
      const seconds = (Date.now() - started) / 1000;
      expect(seconds).toBeLessThan(3 + 5);
      expect(io.err).toContain(`s3:GetObject at ${silent.url}`);
      expect(io.err).toMatch(/the 3 s deadline of state show passed|no answer/);
    } finally {
      await silent.close();
    }
  }, 30_000);

  it('an endpoint answering 500 and throttling: exit 2 after the bounded attempts', async () => {
    const failing = await failingEndpoint();
    try {
      const io = capture();
      expect(await runStateShow({ env: 'dev', config: configFile, endpoint: failing.url, awsAttempts: '3' }, io)).toBe(2);
      expect(failing.hits()).toBe(3);
      expect(io.err).toMatch(new RegExp(`s3:GetObject at ${failing.url}: (server error|throttled)`));
    } finally {
      await failing.close();
    }
  }, 60_000);
});

describe('traffic commands take the stack outputs from the same remote state object (no --outputs, no terraform)', () => {
  const elb = mockClient(ElasticLoadBalancingV2Client); // only ELBv2 is faked; S3 is the local server
  afterAll(() => elb.restore());

  async function traffic(args: string[], configFile: string) {
    let out = '';
    let err = '';
    let code = -1;
    const program = new Command('bluegreen').exitOverride();
    registerTrafficCommands(program, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, setExitCode: (c) => (code = c), env: { ...process.env, BLUEGREEN_S3_ENDPOINT: s3.endpoint } });
    await program.parseAsync(['node', 'bluegreen', 'traffic', ...args, '--env', 'dev', '--config', configFile]);
    return { code, out, err };
  }

  it('rollback reads the listener from the contract in the state, says where it came from, then ModifyListener', async () => {
    elb.reset();
    elb.on(ModifyListenerCommand).resolves({});
    const file = join(dir, 'rollback.yaml');
    writeFileSync(file, readFileSync(configFile, 'utf8').replace('      blue: 100\n      green: 0', '      blue: 75\n      green: 25'));
    const r = await traffic(['rollback', '--service', 'monolith'], file);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^outputs: s3:\/\/bluegreen-tfstate-111111111111\/dev\/terraform\.tfstate \(remote state, serial 7, written /m);
    expect(elb.commandCalls(ModifyListenerCommand)[0].args[0].input.ListenerArn).toBe(TEST_ARNS.listener);
  }, 60_000);

  it('no state at the key: exit 2 naming the object, nothing changed (not the tail of a terraform message)', async () => {
    elb.reset();
    const file = join(dir, 'nostate.yaml');
    writeFileSync(file, readFileSync(configFile, 'utf8').replace(/^state:\n {2}bucket: .*$/m, `state:\n  bucket: ${bucket}\n  key: fresh/terraform.tfstate`).replace('      blue: 100\n      green: 0', '      blue: 75\n      green: 25'));
    const before = readFileSync(file, 'utf8');
    const r = await traffic(['rollback', '--service', 'monolith'], file);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no state at s3://bluegreen-tfstate-111111111111/fresh/terraform.tfstate');
    expect(r.err).toContain('nothing was changed: not the listener, not the config');
    expect(elb.calls()).toHaveLength(0);
    expect(readFileSync(file, 'utf8')).toBe(before);
  }, 60_000);
});
