import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client, ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { alarmsGate, parseValidatorResponse, runGates, schemaGate, targetHealthGate, validatorSchemaChecker, ValidatorError, type ForwardTargets } from '@bluegreen/traffic';
import { mockClient } from 'aws-sdk-client-mock';
import { awsPorts } from '../src';

// The only fake allowed: the AWS SDK at its boundary. Every test checks the exact calls made.
const elbMock = mockClient(ElasticLoadBalancingV2Client);
const cwMock = mockClient(CloudWatchClient);
const lambdaMock = mockClient(LambdaClient);
const ecsMock = mockClient(ECSClient);
const ports = awsPorts({ region: 'us-east-1' });

const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/alb-dev/50dc6c495c0c9188/f2f7dc8efc522ab2';
const BLUE_TG = 'arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/tg-blue-dev/73e2d6bc24d8a067';
const GREEN_TG = 'arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/tg-green-dev/2453ed029918f21f';
const TARGETS: ForwardTargets = { route: { kind: 'default-action', listenerArn: LISTENER }, targetGroupArns: { blue: BLUE_TG, green: GREEN_TG } };
const invokeValidator = async (name: string) => parseValidatorResponse(name, await ports.validator.invoke(name, {}));

beforeEach(() => {
  elbMock.reset();
  cwMock.reset();
  lambdaMock.reset();
  ecsMock.reset();
});

describe('ELBv2', () => {
  it('setListenerWeights sends exactly one ModifyListener with the weighted forward (blue first)', async () => {
    elbMock.on(ModifyListenerCommand).resolves({});
    await ports.listener.setWeights(TARGETS, { blue: 100, green: 0 }, 0);
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
  });

  it('keeps stickiness when the config has it', async () => {
    elbMock.on(ModifyListenerCommand).resolves({});
    await ports.listener.setWeights(TARGETS, { blue: 90, green: 10 }, 300);
    const action = elbMock.commandCalls(ModifyListenerCommand)[0].args[0].input.DefaultActions?.[0];
    expect(action?.ForwardConfig?.TargetGroupStickinessConfig).toEqual({ Enabled: true, DurationSeconds: 300 });
    expect(action?.ForwardConfig?.TargetGroups?.map((t) => t.Weight)).toEqual([90, 10]);
  });

  it('readWeights reads the forward weights of the listener asked for, by colour', async () => {
    elbMock.on(DescribeListenersCommand, { ListenerArns: [LISTENER] }).resolves({
      Listeners: [
        {
          ListenerArn: LISTENER,
          DefaultActions: [
            {
              Type: 'forward',
              ForwardConfig: {
                TargetGroups: [
                  { TargetGroupArn: BLUE_TG, Weight: 90 },
                  { TargetGroupArn: GREEN_TG, Weight: 10 },
                ],
              },
            },
          ],
        },
      ],
    });
    await expect(ports.listener.readWeights(TARGETS)).resolves.toEqual({ weights: { blue: 90, green: 10 }, stickinessSeconds: 0, otherTargets: [] });
    expect(elbMock.commandCalls(DescribeListenersCommand)[0].args[0].input).toEqual({ ListenerArns: [LISTENER] });
  });

  it.each<[string, { State: 'healthy' | 'unhealthy' | 'initial' | 'draining' }[], number, 'pass' | 'fail']>([
    ['all healthy', [{ State: 'healthy' }, { State: 'healthy' }], 2, 'pass'],
    ['one unhealthy', [{ State: 'healthy' }, { State: 'unhealthy' }], 2, 'fail'],
    ['fewer healthy than desired', [{ State: 'healthy' }, { State: 'initial' }], 2, 'fail'],
    ['no targets at all', [], 0, 'fail'],
    ['draining extras are fine', [{ State: 'healthy' }, { State: 'draining' }], 1, 'pass'],
  ])('target-health gate: %s -> %s', async (_n, states, expected, status) => {
    elbMock.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: states.map((s, i) => ({ Target: { Id: `10.0.0.${i}` }, TargetHealth: s })) });
    const r = await targetHealthGate(ports.targetHealth, 'green', GREEN_TG, expected).run();
    expect(r.status).toBe(status);
    expect(elbMock.commandCalls(DescribeTargetHealthCommand).map((c) => c.args[0].input)).toEqual([{ TargetGroupArn: GREEN_TG }]);
  });
});

describe('CloudWatch', () => {
  it('alarmStates asks for exactly the named alarms (metric and composite) and follows NextToken', async () => {
    cwMock
      .on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: [{ AlarmName: 'alarm-green-cpu-dev', StateValue: 'OK' }], NextToken: 't1' })
      .resolvesOnce({ CompositeAlarms: [{ AlarmName: 'alarm-green-5xx-rate-dev', StateValue: 'ALARM' }] });
    const names = ['alarm-green-cpu-dev', 'alarm-green-5xx-rate-dev'];
    const alarms = await ports.alarms.alarmStates(names);
    expect(alarms.map((a) => `${a.name}=${a.state}`)).toEqual(['alarm-green-cpu-dev=OK', 'alarm-green-5xx-rate-dev=ALARM']);
    expect(cwMock.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input)).toEqual([
      { AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken: undefined },
      { AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken: 't1' },
    ]);
  });

  it.each<[string, { AlarmName: string; StateValue: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' }[], 'pass' | 'fail' | 'error']>([
    ['none in ALARM', [{ AlarmName: 'alarm-green-cpu-dev', StateValue: 'OK' }, { AlarmName: 'alarm-green-memory-dev', StateValue: 'INSUFFICIENT_DATA' }], 'pass'],
    ['one in ALARM', [{ AlarmName: 'alarm-green-cpu-dev', StateValue: 'ALARM' }, { AlarmName: 'alarm-green-memory-dev', StateValue: 'OK' }], 'fail'],
    ['a named alarm CloudWatch does not know (fails closed)', [{ AlarmName: 'alarm-green-cpu-dev', StateValue: 'OK' }], 'error'],
    ['no alarms found (fails closed)', [], 'error'],
  ])('alarms gate: %s -> %s', async (_n, alarms, status) => {
    cwMock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: alarms });
    expect((await alarmsGate(ports.alarms, 'green', ['alarm-green-cpu-dev', 'alarm-green-memory-dev']).run()).status).toBe(status);
    expect(cwMock.commandCalls(DescribeAlarmsCommand)[0].args[0].input.AlarmNames).toEqual(['alarm-green-cpu-dev', 'alarm-green-memory-dev']);
  });

  it('alarms gate with no alarm named in the contract is an error without a call', async () => {
    expect((await alarmsGate(ports.alarms, 'green', []).run()).status).toBe('error');
    expect(cwMock.calls()).toHaveLength(0);
  });

  it('colourSignals queries the target group metrics of the colour over the window and aggregates', async () => {
    cwMock.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'requests', Values: [600, 400] },
        { Id: 'http5xx', Values: [] },
        { Id: 'p95', Values: [0.3, 0.9] },
        { Id: 'unhealthy', Values: [0, 1] },
      ],
    });
    const start = new Date('2026-11-22T03:00:00Z');
    const end = new Date('2026-11-22T03:05:00Z');
    const s = await ports.metrics.colourSignals({ loadBalancerArnSuffix: 'app/alb-dev/50dc6c495c0c9188', targetGroupArnSuffix: 'targetgroup/tg-green-dev/2453ed029918f21f', start, end });
    expect(s).toEqual({ requests: 1000, http5xx: 0, p95Seconds: 0.9, unhealthyHosts: 1 });
    const input = cwMock.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(input.StartTime).toEqual(start);
    expect(input.EndTime).toEqual(end);
    expect(input.MetricDataQueries?.map((q) => [q.Id, q.MetricStat?.Metric?.MetricName, q.MetricStat?.Stat, q.MetricStat?.Period])).toEqual([
      ['requests', 'RequestCount', 'Sum', 300],
      ['http5xx', 'HTTPCode_Target_5XX_Count', 'Sum', 300],
      ['p95', 'TargetResponseTime', 'p95', 300],
      ['unhealthy', 'UnHealthyHostCount', 'Maximum', 300],
    ]);
    expect(input.MetricDataQueries?.[0].MetricStat?.Metric?.Dimensions).toEqual([
      { Name: 'LoadBalancer', Value: 'app/alb-dev/50dc6c495c0c9188' },
      { Name: 'TargetGroup', Value: 'targetgroup/tg-green-dev/2453ed029918f21f' },
    ]);
  });

  it('colourSignals reports no data as undefined (the matrix then holds)', async () => {
    cwMock.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'requests', Values: [] }] });
    const s = await ports.metrics.colourSignals({ loadBalancerArnSuffix: 'a', targetGroupArnSuffix: 't', start: new Date(0), end: new Date(60_000) });
    expect(s).toEqual({ requests: undefined, http5xx: undefined, p95Seconds: undefined, unhealthyHosts: undefined });
  });
});

describe('Lambda schema validator (the adapter sends, the library reads the verdict)', () => {
  const payload = (o: unknown) => new TextEncoder().encode(JSON.stringify(o)) as never;

  it('invokes the named function synchronously and reads the verdict', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ compatible: false, breaking: [{ message: 'column orders.total dropped' }] }) });
    await expect(invokeValidator('schema-validator-dev')).resolves.toEqual({ compatible: false, details: ['column orders.total dropped'] });
    const input = lambdaMock.commandCalls(InvokeCommand)[0].args[0].input;
    expect(input.FunctionName).toBe('schema-validator-dev');
    expect(input.InvocationType).toBe('RequestResponse');
  });

  it('reads the schema-validator app result: changes that are not compatible become details; the event is empty', async () => {
    lambdaMock.on(InvokeCommand).resolves({
      StatusCode: 200,
      Payload: payload({
        ok: true,
        compatible: false,
        changes: [
          { kind: 'column.added', object: 'public.orders.channel', compatibility: 'compatible', detail: 'nullable' },
          { kind: 'column.dropped', object: 'public.orders.note', compatibility: 'incompatible', detail: 'the old application reads it' },
        ],
      }),
    });
    await expect(invokeValidator('schema-validator-dev')).resolves.toEqual({ compatible: false, details: ['incompatible: column.dropped public.orders.note (the old application reads it)'] });
    expect(new TextDecoder().decode(lambdaMock.commandCalls(InvokeCommand)[0].args[0].input.Payload as Uint8Array)).toBe('{}');
  });

  it('treats { ok: false } as "could not check" (an error, not a fail)', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ ok: false, compatible: false, errorType: 'ConnectionError', message: 'connect ETIMEDOUT' }) });
    await expect(invokeValidator('f')).rejects.toThrow(new ValidatorError('validator f could not check (ConnectionError): connect ETIMEDOUT'));
    const r = await schemaGate(validatorSchemaChecker(ports.validator, 'f')).run().catch((e: Error) => ({ status: 'error', detail: e.message }));
    expect(r.status).toBe('error');
  });

  it('accepts an API-style { body } wrapper', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ statusCode: 200, body: JSON.stringify({ compatible: true }) }) });
    await expect(invokeValidator('f')).resolves.toEqual({ compatible: true, details: [] });
  });

  it.each([
    ['a function error', { StatusCode: 200, FunctionError: 'Unhandled', Payload: payload({ errorMessage: 'boom' }) }, /failed \(Unhandled\)/],
    ['no verdict', { StatusCode: 200, Payload: payload({ ok: true }) }, /no boolean 'compatible'/],
    ['not JSON', { StatusCode: 200, Payload: new TextEncoder().encode('oops') as never }, /not JSON/],
  ])('fails closed on %s', async (_n, res, message) => {
    lambdaMock.on(InvokeCommand).resolves(res);
    await expect(invokeValidator('f')).rejects.toThrow(ValidatorError);
    await expect(invokeValidator('f')).rejects.toThrow(message);
  });

  it('runGates stops at the first gate that does not pass; a throwing gate is an error', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: payload({}) });
    const seen: string[] = [];
    const r = await runGates([schemaGate(validatorSchemaChecker(ports.validator, 'f')), alarmsGate(ports.alarms, 'green', ['alarm-green-cpu-dev'])], (x) => seen.push(`${x.gate}:${x.status}`));
    expect(r.ok).toBe(false);
    expect(seen).toEqual(['schema:error']);
    expect(cwMock.calls()).toHaveLength(0);
  });
});

describe('ECS', () => {
  it('describeServices asks for both services of the cluster and marks missing ones', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [{ serviceName: 'svc-blue-dev', status: 'ACTIVE', desiredCount: 2, runningCount: 2, pendingCount: 0, taskDefinition: 'td-blue:7', deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }] }],
    });
    const r = await ports.services.serviceStatus('ecs-cluster-dev', ['svc-blue-dev', 'svc-green-dev']);
    expect(r).toEqual([
      { serviceName: 'svc-blue-dev', status: 'ACTIVE', desiredCount: 2, runningCount: 2, pendingCount: 0, taskDefinition: 'td-blue:7', rolloutState: 'COMPLETED' },
      { serviceName: 'svc-green-dev', status: 'MISSING', desiredCount: 0, runningCount: 0, pendingCount: 0 },
    ]);
    expect(ecsMock.commandCalls(DescribeServicesCommand)[0].args[0].input).toEqual({ cluster: 'ecs-cluster-dev', services: ['svc-blue-dev', 'svc-green-dev'] });
  });
});
