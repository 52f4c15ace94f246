import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DatabaseMigrationServiceClient, DescribeReplicationTasksCommand } from '@aws-sdk/client-database-migration-service';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, DescribeRulesCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client, ModifyListenerCommand, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { loadEnvironmentConfig } from '@bluegreen/config';
import { mockClient } from 'aws-sdk-client-mock';
import { Command } from 'commander';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_ARNS, testContract, testOutputsJson } from '@bluegreen/testing-aws';
import { registerTrafficCommands, type TrafficDeps } from '../src/commands/traffic';
import { main } from '../src/main';

// The only fake: the AWS SDK at its boundary (aws-sdk-client-mock). Config files are real files in a temp dir.
const elbMock = mockClient(ElasticLoadBalancingV2Client);
const cwMock = mockClient(CloudWatchClient);
const lambdaMock = mockClient(LambdaClient);
const ecsMock = mockClient(ECSClient);

const ROOT = join(__dirname, '../../..');
const REPO_DEV = readFileSync(join(ROOT, 'apps/dev/environment.yaml'), 'utf8');
/** The repo's dev config without the catalog service: an environment of one service (no --service needed). */
const ONE_SERVICE = REPO_DEV.replace(/\n {2}catalog:\n[\s\S]*?(?=\n\S)/, '');
/** That one-service dev config on the default 5-10-25-50-75-100 ladder (the repo's dev starts at 10 %): the stage-rule fixture. */
const DEV = ONE_SERVICE.replace(/\n *#[^\n]*\n *stages: \[[^\]]*\]\n/, '\n');
if (ONE_SERVICE === REPO_DEV || /catalog:/.test(ONE_SERVICE)) throw new Error('fixture: could not take the catalog service out of apps/dev/environment.yaml');
if (DEV === ONE_SERVICE || /stages:/.test(DEV)) throw new Error('fixture: could not take traffic.stages out of apps/dev/environment.yaml');
const { listener: LISTENER, blueTargetGroup: BLUE_TG, greenTargetGroup: GREEN_TG } = TEST_ARNS;
const CONTRACT = testContract();
const ALARMS = CONTRACT.services.monolith.alarms;
/** DescribeAlarms answering every alarm of the colour in `state`. */
const alarmsIn = (colour: 'blue' | 'green', state: 'OK' | 'ALARM' = 'OK') => ({ MetricAlarms: ALARMS[colour].map((AlarmName) => ({ AlarmName, StateValue: state })) });

let dir: string;
let file: string;
let outputsFile: string;
let now: Date;

beforeEach(() => {
  elbMock.reset();
  cwMock.reset();
  lambdaMock.reset();
  ecsMock.reset();
  dir = mkdtempSync(join(tmpdir(), 'cli-traffic-'));
  file = join(dir, 'environment.yaml');
  outputsFile = join(dir, 'outputs.json');
  writeFileSync(file, DEV);
  writeFileSync(outputsFile, testOutputsJson(CONTRACT));
  now = new Date('2026-11-22T03:00:00Z');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `bluegreen traffic …` in-process; returns exit code and output. */
async function run(args: string[], extra: Partial<TrafficDeps> = {}): Promise<{ code: number; out: string; err: string; sleeps: number[] }> {
  let out = '';
  let err = '';
  let code = -1;
  const sleeps: number[] = [];
  const program = new Command('bluegreen').exitOverride();
  registerTrafficCommands(program, {
    root: ROOT,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now = new Date(now.getTime() + ms);
    },
    stdout: { write: (t: string) => (out += t), isTTY: false },
    stderr: { write: (t: string) => (err += t) },
    setExitCode: (c) => (code = c),
    ...extra,
  });
  await program.parseAsync(['node', 'bluegreen', 'traffic', ...args]);
  return { code, out, err, sleeps };
}

const payload = (o: unknown) => new TextEncoder().encode(JSON.stringify(o)) as never;
const cfg = () => loadEnvironmentConfig(file);
/** Sets the first service's (the monolith's) weights in the config file. */
const setWeights = (blue: number, green: number) =>
  writeFileSync(file, readFileSync(file, 'utf8').replace(/traffic:\n {6}live: (\w+)\n {6}blue: \d+\n {6}green: \d+/, `traffic:\n      live: $1\n      blue: ${blue}\n      green: ${green}`));

describe('traffic shift', () => {
  it('--skip-gates walks the stages 5 -> 10, editing only the weights, and makes no AWS call', async () => {
    const a = await run(['shift', '--env', 'dev', '--config', file, '--to', 'green', '--percent', '5', '--skip-gates']);
    expect(a.code).toBe(0);
    expect(a.out).toContain('gates: SKIPPED (--skip-gates)');
    const b = await run(['shift', '--env', 'dev', '--config', file, '--to', 'green', '--percent', '10', '--skip-gates']);
    expect(b.code).toBe(0);
    expect(b.out).toContain('services.monolith.traffic.blue: 95 -> 90');
    expect(b.out).toContain('forward weights blue 95 % / green 5 % -> blue 90 % / green 10 %');
    expect(cfg().services.monolith.traffic).toMatchObject({ live: 'blue', blue: 90, green: 10 });
    expect(readFileSync(file, 'utf8')).toBe(DEV.replace('      blue: 100\n      green: 0', '      blue: 90\n      green: 10'));
    expect([...elbMock.calls(), ...cwMock.calls(), ...lambdaMock.calls()]).toHaveLength(0);
  });

  it('the acceptance command gives 90/10 on the repo\'s dev config (its ladder starts at 10 %)', async () => {
    writeFileSync(file, REPO_DEV);
    const r = await run(['shift', '--env', 'dev', '--config', file, '--service', 'monolith', '--to', 'green', '--percent', '10', '--skip-gates']);
    expect(r.code).toBe(0);
    expect(cfg().services.monolith.traffic).toMatchObject({ blue: 90, green: 10 });
  });

  it('refuses a jump that skips a stage (exit 1) and leaves the file alone; --force allows it', async () => {
    const r = await run(['shift', '--env', 'dev', '--config', file, '--to', 'green', '--percent', '10', '--skip-gates']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('skips configured stage 5 %');
    expect(readFileSync(file, 'utf8')).toBe(DEV);
    const f = await run(['shift', '--env', 'dev', '--config', file, '--to', 'green', '--percent', '10', '--skip-gates', '--force']);
    expect(f.code).toBe(0);
    expect(f.out).toContain('WARNING: --force skips stage(s) 5 %');
  });

  it('runs the gates in order with the exact calls, then writes', async () => {
    setWeights(95, 5);
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ compatible: true }) });
    elbMock.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [{ Target: { Id: '10.0.1.5' }, TargetHealth: { State: 'healthy' } }] });
    cwMock.on(DescribeAlarmsCommand).resolves(alarmsIn('green'));
    const r = await run(['shift', '--env', 'dev', '--config', file, '--outputs', outputsFile, '--to', 'green', '--percent', '10']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/gate schema:monolith: PASS .*\ngate target-health:green: PASS .*\ngate alarms:green: PASS/);
    expect(lambdaMock.commandCalls(InvokeCommand)[0].args[0].input.FunctionName).toBe('schema-validator-dev');
    expect(elbMock.commandCalls(DescribeTargetHealthCommand).map((c) => c.args[0].input)).toEqual([{ TargetGroupArn: GREEN_TG }]);
    expect(cwMock.commandCalls(DescribeAlarmsCommand)[0].args[0].input.AlarmNames).toEqual(ALARMS.green);
    expect(elbMock.commandCalls(ModifyListenerCommand)).toHaveLength(0); // a shift goes through the config and the plan
    expect(cfg().services.monolith.traffic).toMatchObject({ blue: 90, green: 10 });
  });

  it.each<[string, () => void, number, string]>([
    ['an incompatible schema', () => lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ compatible: false, breaking: ['column orders.total dropped'] }) }), 1, 'gate schema:monolith: FAIL - incompatible'],
    ['a validator that crashed', () => lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: payload({}) }), 2, 'gate schema:monolith: ERROR'],
    [
      'an unhealthy target',
      () => {
        lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ compatible: true }) });
        elbMock.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [{ TargetHealth: { State: 'unhealthy' } }] });
      },
      1,
      'gate target-health:green: FAIL',
    ],
    [
      'a green alarm in ALARM',
      () => {
        lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ compatible: true }) });
        elbMock.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [{ TargetHealth: { State: 'healthy' } }] });
        cwMock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'alarm-green-cpu-dev', StateValue: 'OK' }, { AlarmName: 'alarm-green-5xx-rate-dev', StateValue: 'ALARM' }] });
      },
      1,
      'gate alarms:green: FAIL - in ALARM: alarm-green-5xx-rate-dev',
    ],
  ])('stops on %s without touching the config', async (_n, arrange, code, line) => {
    arrange();
    const r = await run(['shift', '--env', 'dev', '--config', file, '--outputs', outputsFile, '--to', 'green', '--percent', '5']);
    expect(r.code).toBe(code);
    expect(r.out).toContain(line);
    expect(r.err).toContain('the config was not changed');
    expect(readFileSync(file, 'utf8')).toBe(DEV);
    expect(readFileSync(file, 'utf8')).toBe(DEV);
  });

  it('--synth-diff refuses (exit 1, config untouched) when more than the HTTPS listener would change', async () => {
    const doc = (desired: number, weight: number) => ({
      resource: { aws_lb_listener: { https: { port: 443, default_action: [{ weight }] } }, aws_ecs_service: { green: { desired_count: desired } } },
    });
    let calls = 0;
    const synthesize = async () => ({ dev: calls++ === 0 ? doc(1, 0) : doc(3, 5) });
    const r = await run(['shift', '--env', 'dev', '--config', file, '--to', 'green', '--percent', '5', '--skip-gates', '--synth-diff'], { synthesize });
    expect(r.code).toBe(1);
    expect(r.out).toContain('synth diff: update dev/aws_ecs_service.green (desired_count)  <- unexpected');
    expect(r.err).toContain('also changes aws_ecs_service.green; the config was not changed');
    expect(readFileSync(file, 'utf8')).toBe(DEV);
  });

  it('fails closed (exit 2) when gates cannot get the stack outputs', async () => {
    const r = await run(['shift', '--env', 'dev', '--config', file, '--outputs', join(dir, 'missing.json'), '--to', 'green', '--percent', '5']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the gates need the stack outputs: cannot read outputs file .*; the config was not changed/);
    expect(readFileSync(file, 'utf8')).toBe(DEV);
  });

  it('moving back toward the live colour needs no gates', async () => {
    setWeights(50, 50);
    const r = await run(['shift', '--env', 'dev', '--config', file, '--to', 'green', '--percent', '25']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('gates: not needed');
    expect(lambdaMock.calls()).toHaveLength(0);
  });

  it('--to is required without --dns (exit 64)', async () => {
    const r = await run(['shift', '--env', 'dev', '--config', file, '--percent', '5', '--skip-gates']);
    expect(r.code).toBe(64);
    expect(r.err).toContain("required option '--to <colour>'");
  });

  it('refuses --config for another environment (exit 2)', async () => {
    const r = await run(['shift', '--env', 'prod', '--config', file, '--to', 'green', '--percent', '5', '--skip-gates']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("describes environment 'dev', not 'prod'");
  });

  it('--dns moves the Route 53 weights with the same stage rules', async () => {
    writeFileSync(file, `${DEV}dns:\n  enabled: true\n  hostedZoneId: Z0123456789ABC\n  recordName: api.example.com\n  legacy:\n    hostname: lb.onprem.example.net\n`);
    expect((await run(['shift', '--env', 'dev', '--config', file, '--dns', '--percent', '10'])).code).toBe(1);
    const r = await run(['shift', '--env', 'dev', '--config', file, '--dns', '--percent', '5']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('aws 0 % -> 5 % (legacy/aws 95/5)');
    expect(cfg().dns.weights).toEqual({ legacy: 95, aws: 5 });
    expect(cfg().services.monolith.traffic).toMatchObject({ blue: 100, green: 0 });
  });
});

describe('traffic rollback', () => {
  // Every rollback stamps traffic.rolledBackAt: a shift that read the file before it then always refuses.
  const rolledBack = (text: string) => text.replace(/^( {6}green: 0)$/m, `$1\n      rolledBackAt: ${now.toISOString()}`);
  it('sets the listener to 100 % live through ModifyListener (exact call), then writes the config', async () => {
    setWeights(75, 25);
    elbMock.on(ModifyListenerCommand).resolves({});
    const r = await run(['rollback', '--env', 'dev', '--config', file, '--outputs', outputsFile]);
    expect(r.code).toBe(0);
    expect(elbMock.calls()).toHaveLength(1);
    expect(elbMock.commandCalls(ModifyListenerCommand)[0].args[0].input).toEqual({
      ListenerArn: LISTENER,
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: BLUE_TG, Weight: 100 },
              { TargetGroupArn: GREEN_TG, Weight: 0 },
            ],
            TargetGroupStickinessConfig: { Enabled: false },
          },
        },
      ],
    });
    expect(r.out).toContain(`listener ${LISTENER}: forward set to blue 100 % / green 0 %`);
    expect(readFileSync(file, 'utf8')).toBe(rolledBack(DEV));
  });

  it('--config-only restores 100/0 in the config with no AWS call', async () => {
    setWeights(90, 10);
    const r = await run(['rollback', '--env', 'dev', '--config', file, '--config-only']);
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(rolledBack(DEV));
    expect(elbMock.calls()).toHaveLength(0);
  });

  it('--config-only works while an unrelated part of the config is invalid (the last-resort path reads only what it edits)', async () => {
    setWeights(90, 10);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^(\s+vpcCidr:) .*$/m, '$1 not-a-cidr'));
    expect((await run(['status', '--env', 'dev', '--config', file])).code).toBe(2);
    const r = await run(['rollback', '--env', 'dev', '--config', file, '--config-only']);
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(rolledBack(DEV).replace(/^(\s+vpcCidr:) .*$/m, '$1 not-a-cidr'));
  });

  it('does not touch the config when the API call fails (exit 2)', async () => {
    setWeights(90, 10);
    elbMock.on(ModifyListenerCommand).rejects(new Error('AccessDenied'));
    const before = readFileSync(file, 'utf8');
    const r = await run(['rollback', '--env', 'dev', '--config', file, '--outputs', outputsFile]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('AccessDenied');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('inside a promotion window, rolls back to the previous colour and undoes the promotion', async () => {
    setWeights(0, 100);
    await run(['promote', '--env', 'dev', '--config', file]);
    expect(cfg().services.monolith.traffic.live).toBe('green');
    const r = await run(['rollback', '--env', 'dev', '--config', file, '--config-only']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('rolling back to the previous colour blue');
    expect(cfg().services.monolith.traffic).toMatchObject({ live: 'blue', blue: 100, green: 0 });
    expect(cfg().services.monolith.traffic.promotedAt).toBeUndefined();
    expect(readFileSync(file, 'utf8')).toBe(rolledBack(DEV));
  });
});

describe('traffic promote', () => {
  it('refuses before 100 % (exit 1)', async () => {
    setWeights(50, 50);
    const r = await run(['promote', '--env', 'dev', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('promotion needs 100 %');
  });

  it('promotes, refuses to finalize inside the window, finalizes after it', async () => {
    setWeights(0, 100);
    const p = await run(['promote', '--env', 'dev', '--config', file]);
    expect(p.code).toBe(0);
    expect(cfg().services.monolith.traffic).toMatchObject({ live: 'green', promotedAt: '2026-11-22T03:00:00Z' });
    expect(p.out).toContain('until 2026-11-22T04:00:00.000Z');
    now = new Date('2026-11-22T03:30:00Z');
    const early = await run(['promote', '--env', 'dev', '--config', file, '--finalize']);
    expect(early.code).toBe(1);
    expect(early.err).toContain('rollback window is still open until 2026-11-22T04:00:00Z (30 min left)');
    now = new Date('2026-11-22T04:00:00Z');
    const done = await run(['promote', '--env', 'dev', '--config', file, '--finalize']);
    expect(done.code).toBe(0);
    expect(done.out).toContain('services.monolith.blue.desiredCount: 1 -> 0');
    expect(cfg().services.monolith.blue.desiredCount).toBe(0);
    expect(cfg().services.monolith.traffic.promotedAt).toBeUndefined();
  });
});

describe('traffic watch', () => {
  const healthy = () => {
    cwMock.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'requests', Values: [5000] },
        { Id: 'http5xx', Values: [5] },
        { Id: 'p95', Values: [0.3] },
        { Id: 'unhealthy', Values: [0] },
      ],
    });
    cwMock.on(DescribeAlarmsCommand).resolves(alarmsIn('green'));
  };

  it('watches the colour receiving traffic for the whole time and ends on continue (exit 0)', async () => {
    setWeights(90, 10);
    healthy();
    const r = await run(['watch', '--env', 'dev', '--config', file, '--outputs', outputsFile, '--minutes', '2', '--interval', '30']);
    expect(r.code).toBe(0);
    expect(r.sleeps).toEqual([30_000, 30_000, 30_000, 30_000]);
    expect(cwMock.commandCalls(GetMetricDataCommand)).toHaveLength(5);
    const q = cwMock.commandCalls(GetMetricDataCommand)[0].args[0].input.MetricDataQueries?.[0];
    expect(q?.MetricStat?.Metric?.Dimensions).toEqual([
      { Name: 'LoadBalancer', Value: 'app/alb-dev/50dc6c495c0c9188' },
      { Name: 'TargetGroup', Value: 'targetgroup/tg-green-dev/2453ed029918f21f' },
    ]);
    expect(r.out).toContain('watching green (10 % of traffic)');
    expect(r.out).toContain('healthy after 5 poll(s): continue (next stage: bluegreen traffic shift --env dev --to green --percent 25)');
  });

  it('stops at once with exit 1 and a rollback recommendation when the 5xx rate passes 1 %', async () => {
    setWeights(90, 10);
    cwMock.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'requests', Values: [1000] },
        { Id: 'http5xx', Values: [25] },
        { Id: 'p95', Values: [0.3] },
        { Id: 'unhealthy', Values: [0] },
      ],
    });
    cwMock.on(DescribeAlarmsCommand).resolves(alarmsIn('green'));
    const r = await run(['watch', '--env', 'dev', '--config', file, '--outputs', outputsFile, '--minutes', '10']);
    expect(r.code).toBe(1);
    expect(r.sleeps).toEqual([]);
    expect(r.out).toContain('ROLLBACK RECOMMENDED for green: 5xx rate 2.5 % (25/1000) > 1 %');
    expect(r.out).toContain('run: bluegreen traffic rollback --env dev');
  });

  it('a reported security incident forces a rollback decision', async () => {
    setWeights(90, 10);
    healthy();
    const r = await run(['watch', '--env', 'dev', '--config', file, '--outputs', outputsFile, '--minutes', '0', '--security-incident', 'leaked key']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('security incident reported: leaked key');
  });

  it('ends on hold (exit 2) when no traffic reached the colour', async () => {
    setWeights(90, 10);
    cwMock.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    cwMock.on(DescribeAlarmsCommand).resolves(alarmsIn('green'));
    const r = await run(['watch', '--env', 'dev', '--config', file, '--outputs', outputsFile, '--minutes', '0']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('ended on HOLD');
  });

  it('holds when an alarm of the colour does not exist (monitoring missing is not health)', async () => {
    setWeights(90, 10);
    healthy();
    cwMock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'alarm-green-cpu-dev', StateValue: 'OK' }] });
    const r = await run(['watch', '--env', 'dev', '--config', file, '--outputs', outputsFile, '--minutes', '0']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('  - CloudWatch has no alarm alarm-green-5xx-rate-dev');
    expect(r.out).toContain('ended on HOLD');
  });

  it('exit 2 when CloudWatch cannot be read at all', async () => {
    cwMock.on(GetMetricDataCommand).rejects(new Error('ExpiredToken'));
    cwMock.on(DescribeAlarmsCommand).rejects(new Error('ExpiredToken'));
    const r = await run(['watch', '--env', 'dev', '--config', file, '--outputs', outputsFile, '--minutes', '0']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('could not read the signals');
  });

  it('fails fast: a credentials error ends the watch after 3 failed reads in a row (exit 2), not after --minutes', async () => {
    cwMock.on(GetMetricDataCommand).rejects(Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredTokenException', $metadata: { httpStatusCode: 403 } }));
    cwMock.on(DescribeAlarmsCommand).rejects(Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredTokenException', $metadata: { httpStatusCode: 403 } }));
    const r = await run(['watch', '--env', 'dev', '--config', file, '--outputs', outputsFile, '--minutes', '15', '--interval', '30']);
    expect(r.code).toBe(2);
    expect(r.sleeps).toEqual([30_000, 30_000]);
    expect(cwMock.commandCalls(GetMetricDataCommand)).toHaveLength(3);
    expect(r.err).toMatch(/stopped: 3 read\(s\) in a row failed: no decision \(metrics could not be read: cloudwatch:GetMetricData at https:\/\/monitoring\.us-east-1\.amazonaws\.com: access denied/);
    expect(r.out).not.toContain('CONTINUE');
  });

  it('--max-failed-reads 1 gives up on the first failed read', async () => {
    setWeights(90, 10);
    healthy();
    cwMock.on(GetMetricDataCommand).rejects(new Error('boom'));
    const r = await run(['watch', '--env', 'dev', '--config', file, '--outputs', outputsFile, '--minutes', '15', '--max-failed-reads', '1']);
    expect(r.code).toBe(2);
    expect(r.sleeps).toEqual([]);
  });

  it('a partial read (alarms read, metrics not) is never healthy: it holds and counts as a failed read', async () => {
    setWeights(90, 10);
    cwMock.on(GetMetricDataCommand).rejectsOnce(new Error('Rate exceeded')).resolves({
      MetricDataResults: [
        { Id: 'requests', Values: [5000] },
        { Id: 'http5xx', Values: [5] },
        { Id: 'p95', Values: [0.3] },
        { Id: 'unhealthy', Values: [0] },
      ],
    });
    cwMock.on(DescribeAlarmsCommand).resolves(alarmsIn('green'));
    const r = await run(['watch', '--env', 'dev', '--config', file, '--outputs', outputsFile, '--minutes', '1', '--interval', '30']);
    expect(r.out).toMatch(/could not read the signals \(read 1\/3 failed in a row\) -> HOLD/);
    expect(r.code).toBe(0); // the later complete reads were healthy
  });

  it('redraws one status line per poll on a TTY (\\r + clear line), newline before the verdict', async () => {
    setWeights(90, 10);
    healthy();
    let out = '';
    const r = await run(['watch', '--env', 'dev', '--config', file, '--outputs', outputsFile, '--minutes', '1', '--interval', '30'], {
      stdout: { write: (t: string) => (out += t), isTTY: true },
    });
    expect(r.code).toBe(0);
    const CLEAR = '\r\x1b[2K';
    expect(out.split(CLEAR)).toHaveLength(4);
    expect(out).toContain(`${CLEAR}2026-11-22T03:01:00.000Z green: requests 5000, 5xx 0.1 %, p95 0.3 s, unhealthy 0, alarms 0/2 -> CONTINUE\nhealthy after 3 poll`);
  });

  it('watches the live colour when nothing is shifted', async () => {
    healthy();
    cwMock.on(DescribeAlarmsCommand).resolves(alarmsIn('blue'));
    const r = await run(['watch', '--env', 'dev', '--config', file, '--outputs', outputsFile, '--minutes', '0']);
    expect(r.out).toContain('watching blue (100 % of traffic)');
    expect(cwMock.commandCalls(DescribeAlarmsCommand)[0].args[0].input.AlarmNames).toEqual(ALARMS.blue);
  });
});

describe('traffic status', () => {
  it('shows config, outputs, ECS and listener data as JSON; drift is exit 1', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        { serviceName: 'ecs-service-blue-dev', status: 'ACTIVE', desiredCount: 1, runningCount: 1, pendingCount: 0 },
        { serviceName: 'ecs-service-green-dev', status: 'ACTIVE', desiredCount: 1, runningCount: 0, pendingCount: 1 },
      ],
    });
    elbMock.on(DescribeListenersCommand).resolves({
      Listeners: [{ DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE_TG, Weight: 90 }, { TargetGroupArn: GREEN_TG, Weight: 10 }] } }] }],
    });
    const r = await run(['status', '--env', 'dev', '--config', file, '--outputs', outputsFile, '--format', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ environment: 'dev', drift: true, services: [{ service: 'monolith', live: 'blue', drift: true }] });
    expect(j.services[0].colours[1]).toMatchObject({ colour: 'green', weight: 0, listenerWeight: 10, runningCount: 0, desiredCount: 1, database: 'blue' });
    expect(ecsMock.commandCalls(DescribeServicesCommand)[0].args[0].input).toEqual({ cluster: 'ecs-cluster-dev', services: ['ecs-service-blue-dev', 'ecs-service-green-dev'] });
    expect(elbMock.commandCalls(DescribeListenersCommand)[0].args[0].input).toEqual({ ListenerArns: [LISTENER] });
  });

  it('nothing live read: every live field is unknown, drift is unknown, exit 2 (never a reassuring default)', async () => {
    const r = await run(['status', '--env', 'dev', '--config', file, '--outputs', join(dir, 'none.json'), '--format', 'json']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ drift: 'unknown', offline: false, outputsSource: 'unknown' });
    expect(j.services[0].colours[0]).toMatchObject({ colour: 'blue', weight: 100, listenerWeight: 'unknown', runningCount: 'unknown', rolloutState: 'unknown', targets: 'unknown', alarms: 'unknown', databaseEndpoint: 'unknown' });
    expect(j.notes.join()).toContain('stack outputs could not be read: cannot read outputs file');
    const text = await run(['status', '--env', 'dev', '--config', file, '--outputs', join(dir, 'none.json')]);
    expect(text.code).toBe(2);
    expect(text.out).toMatch(/^monolith +default action +blue \(live\) +100 % +unknown +unknown\/1 +unknown +unknown +blue \(unknown\) +public\.ecr\.aws\/nginx\/nginx:1\.27\.3$/m);
    expect(text.out).toContain('drift: UNKNOWN: a listener was not read');
  });

  it('a credentials error on the listener: drift unknown, exit 2, the ECS data it did read is shown', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'ecs-service-blue-dev', status: 'ACTIVE', desiredCount: 1, runningCount: 1, pendingCount: 0 }] });
    elbMock.on(DescribeListenersCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const r = await run(['status', '--env', 'dev', '--config', file, '--outputs', outputsFile, '--format', 'json']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.out);
    expect(j.drift).toBe('unknown');
    expect(j.services[0].colours[0]).toMatchObject({ runningCount: 1, listenerWeight: 'unknown' });
    expect(j.services[0].colours[1]).toMatchObject({ runningCount: 0, rolloutState: 'MISSING' });
    expect(j.notes.join()).toMatch(/listener weights could not be read: elasticloadbalancing:DescribeListeners at .*: no AWS credentials/);
  });

  it('the listener matches the config: drift false, exit 0, and the outputs source is named', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [] });
    elbMock.on(DescribeListenersCommand).resolves({ Listeners: [{ DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE_TG, Weight: 100 }, { TargetGroupArn: GREEN_TG, Weight: 0 }] } }] }] });
    const r = await run(['status', '--env', 'dev', '--config', file, '--outputs', outputsFile]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`outputs: file ${outputsFile} (--outputs)`);
    expect(r.out).toContain('drift: none');
  });

  it('--offline reads nothing live, says so, exit 0', async () => {
    const r = await run(['status', '--env', 'dev', '--config', file, '--offline', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ offline: true, drift: 'unknown' });
    expect(JSON.parse(r.out).notes[0]).toContain('offline (--offline): nothing live was read');
    expect([...elbMock.calls(), ...ecsMock.calls()]).toHaveLength(0);
  });
});

describe('several services: --service', () => {
  beforeEach(() => writeFileSync(file, REPO_DEV));
  const { catalogRule: CATALOG_RULE, catalogBlueTargetGroup: CATALOG_BLUE, catalogGreenTargetGroup: CATALOG_GREEN } = TEST_ARNS;

  it.each([
    ['shift', ['--to', 'green', '--percent', '10', '--skip-gates']],
    ['watch', ['--minutes', '0']],
    ['rollback', ['--config-only']],
    ['promote', []],
  ])('%s without --service in an environment of two: exit 64 naming the services, nothing written', async (cmd, args) => {
    const r = await run([cmd, '--env', 'dev', '--config', file, ...args]);
    expect(r.code).toBe(64);
    expect(r.err).toContain('usage: --service is required: environment dev has 2 services (monolith, catalog)');
    expect(readFileSync(file, 'utf8')).toBe(REPO_DEV);
  });

  it('an unknown --service: exit 64 naming the services', async () => {
    const r = await run(['shift', '--env', 'dev', '--config', file, '--service', 'payments', '--to', 'green', '--percent', '10', '--skip-gates']);
    expect(r.code).toBe(64);
    expect(r.err).toContain('--service "payments": environment dev has no such service (services: monolith, catalog)');
  });

  it("--dns with --service is a usage error (the Route 53 weights are the environment's)", async () => {
    const r = await run(['shift', '--env', 'dev', '--config', file, '--service', 'catalog', '--dns', '--percent', '5']);
    expect(r.code).toBe(64);
    expect(r.err).toContain("--dns moves the environment's Route 53 weights, not one service's");
  });

  it("status: every service in one table, each forward read where it lives (the listener's default action, catalog's rule)", async () => {
    elbMock.on(DescribeListenersCommand).resolves({ Listeners: [{ DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE_TG, Weight: 100 }, { TargetGroupArn: GREEN_TG, Weight: 0 }] } }] }] });
    elbMock.on(DescribeRulesCommand).resolves({ Rules: [{ Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: CATALOG_BLUE, Weight: 100 }, { TargetGroupArn: CATALOG_GREEN, Weight: 0 }] } }] }] });
    elbMock.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [{ Target: { Id: '10.0.1.5' }, TargetHealth: { State: 'healthy' } }] });
    cwMock.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => ({ MetricAlarms: input.AlarmNames.map((AlarmName) => ({ AlarmName, StateValue: AlarmName === 'alarm-catalog-green-cpu-dev' ? 'ALARM' : 'OK' })) }));
    ecsMock.on(DescribeServicesCommand).resolves({ services: [] });
    const r = await run(['status', '--env', 'dev', '--config', file, '--outputs', outputsFile]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^SERVICE +ROUTE +COLOUR +CONFIG +LISTENER +TASKS +TARGETS +ALARMS +DATABASE +IMAGE$/m);
    expect(r.out).toMatch(/^monolith +default action +blue \(live\) +100 % +100 % /m);
    expect(r.out).toMatch(/^catalog +\/catalog, \/catalog\/\* +blue \(live\) +100 % +100 % +0\/1 MISSING +1\/1 healthy +0\/2 in alarm /m);
    expect(r.out).toMatch(/^ +green +0 % +0 % +0\/1 MISSING +1\/1 healthy +1\/2 IN ALARM /m);
    expect(r.out).toContain('catalog green: in ALARM: alarm-catalog-green-cpu-dev');
    expect(r.out).toContain('drift: none (the listener forwards what the config says, for every service)');
    expect(elbMock.commandCalls(DescribeRulesCommand).map((c) => c.args[0].input)).toEqual([{ RuleArns: [CATALOG_RULE] }]);
  });

  it("rollback --service catalog: ModifyRule on catalog's rule only, then catalog's config; the monolith's listener and weights untouched", async () => {
    writeFileSync(file, REPO_DEV.replace(/(\n {2}catalog:[\s\S]*?traffic:\n\s+live: blue\n)(\s+)blue: 100\n(\s+)green: 0/, '$1$2blue: 75\n$3green: 25'));
    const r = await run(['rollback', '--env', 'dev', '--config', file, '--outputs', outputsFile, '--service', 'catalog']);
    expect(r.code).toBe(0);
    expect(elbMock.commandCalls(ModifyListenerCommand)).toHaveLength(0);
    const rule = elbMock.commandCalls(ModifyRuleCommand).map((c) => c.args[0].input);
    expect(rule).toHaveLength(1);
    expect(rule[0].RuleArn).toBe(CATALOG_RULE);
    expect(rule[0].Actions?.[0].ForwardConfig?.TargetGroups).toEqual([
      { TargetGroupArn: CATALOG_BLUE, Weight: 100 },
      { TargetGroupArn: CATALOG_GREEN, Weight: 0 },
    ]);
    expect(cfg().services.catalog.traffic).toMatchObject({ blue: 100, green: 0 });
    expect(cfg().services.monolith.traffic).toMatchObject({ live: 'blue', blue: 100, green: 0 });
    expect(cfg().services.monolith.traffic.rolledBackAt).toBeUndefined();
  });
});

describe('usage and help (through main)', () => {
  let write: jest.SpyInstance;
  beforeEach(() => {
    write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => jest.restoreAllMocks());

  it.each([
    [['traffic', 'shift', '--env', 'dev', '--to', 'green', '--percent', '140'], 64],
    [['traffic', 'shift', '--env', 'dev', '--to', 'purple', '--percent', '5'], 64],
    [['traffic', 'shift', '--to', 'green', '--percent', '5'], 64],
    [['traffic', 'watch', '--env', 'Dev!', '--minutes', '1'], 64],
    [['traffic', 'shift', '--help'], 0],
  ])('%j -> exit %p', async (args, code) => {
    expect(await main(['node', 'bluegreen', ...args])).toBe(code);
  });

  it.each(['status', 'shift', 'watch', 'rollback', 'promote'])('%s --help documents the exit codes', async (cmd) => {
    await main(['node', 'bluegreen', 'traffic', cmd, '--help']);
    const text = write.mock.calls.map((c) => String(c[0])).join('');
    expect(text).toContain('Exit codes:');
    expect(text).toContain('64  usage');
  });
});

describe('traffic shift: the forward CDC latency gate while a database migration replicates', () => {
  const dmsMock = mockClient(DatabaseMigrationServiceClient);
  const migration = { forwardTaskArn: TEST_ARNS.forwardTask, alarms: [], replicationInstanceId: 'dms-dev', cdcLatencyThresholdSeconds: 60 };
  beforeEach(() => {
    dmsMock.reset();
    writeFileSync(outputsFile, testOutputsJson(testContract({ migration })));
    setWeights(95, 5);
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ compatible: true }) });
    elbMock.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [{ TargetHealth: { State: 'healthy' } }] });
    cwMock.on(DescribeAlarmsCommand).resolves(alarmsIn('green'));
  });
  afterAll(() => dmsMock.restore());

  it.each<[string, string, number[], number, string]>([
    ['caught up', 'running', [12], 0, 'gate migration:cdc-latency: PASS - forward CDC latency 12 s'],
    ['behind', 'running', [240], 1, 'gate migration:cdc-latency: FAIL - forward CDC latency 240 s'],
    ['running without a latency datapoint (cannot confirm)', 'running', [], 2, 'gate migration:cdc-latency: ERROR'],
    ['stopped after cutover (nothing replicating)', 'stopped', [], 0, 'gate migration:cdc-latency: PASS - forward DMS task is stopped'],
  ])('%s', async (_n, status, latency, code, line) => {
    dmsMock.on(DescribeReplicationTasksCommand).resolves({ ReplicationTasks: [{ Status: status }] });
    cwMock.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'source', Values: latency }, { Id: 'target', Values: latency }] });
    const r = await run(['shift', '--env', 'dev', '--config', file, '--outputs', outputsFile, '--to', 'green', '--percent', '10']);
    expect(r.out).toContain(line);
    expect(r.code).toBe(code);
    expect(dmsMock.commandCalls(DescribeReplicationTasksCommand)[0].args[0].input.Filters).toEqual([{ Name: 'replication-task-arn', Values: [TEST_ARNS.forwardTask] }]);
    expect(cfg().services.monolith.traffic.green).toBe(code === 0 ? 10 : 5);
  });
});
