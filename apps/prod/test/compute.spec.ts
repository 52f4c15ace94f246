import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnvironmentApp } from '@bluegreen/stack';
import { changesOfType, countByType, itOffline, type OfflineResult, offlineToolsStatus, offlineValidateAndPlan, type ResourceChange } from '@bluegreen/testing-terraform';

// Needs terraform and the provider mirror: skipped visibly where they are missing (a failure under CI=true).
const itTf = itOffline();

// The compute layer's acceptance, on the real prod app and its real plan (AWS provider 5.100, offline): 2 ECS services,
// 2 target groups, the weighted forward, CPU and memory alarms for both colours, database-connection and 5xx
// alarms, each alarm with an action. Its own plan (dist/plans/prod-compute.json), independent of the env test.
interface ConfigResource {
  address: string;
  type: string;
  expressions: Record<string, { references?: string[] } | undefined>;
}

describe('apps/prod: blue/green compute and alarms in the plan', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'bluegreen-prod-compute-'));
  let result: OfflineResult;

  beforeAll(() => {
    const { app } = createEnvironmentApp(join(__dirname, '..', 'environment.yaml'), { outdir });
    app.synth();
    if (offlineToolsStatus().missing) return; // the tests that read the plan are itTf: skipped then, each with the reason
    result = offlineValidateAndPlan(join(outdir, 'stacks', 'prod'), 'prod-compute');
  }, 300_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  const after = (c: ResourceChange) => c.change.after as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  itTf('plans two ECS services (private, no public IP, circuit breaker + deployment alarms with rollback) and two target groups', () => {
    const counts = countByType(result.plan);
    expect(counts).toMatchObject({ aws_ecs_cluster: 1, aws_ecs_service: 2, aws_ecs_task_definition: 2, aws_lb: 1, aws_lb_target_group: 2, aws_lb_listener: 3 });
    const services = changesOfType(result.plan, 'aws_ecs_service').map(after);
    expect(services.map((s) => s.name).sort()).toEqual(['service-blue-prod', 'service-green-prod']);
    for (const s of services) {
      expect(s.network_configuration).toEqual([expect.objectContaining({ assign_public_ip: false })]);
      expect(s.deployment_circuit_breaker).toEqual([{ enable: true, rollback: true }]);
      const colour = s.name.split('-')[1];
      expect(s.alarms).toEqual([{ enable: true, rollback: true, alarm_names: expect.arrayContaining([`alarm-${colour}-5xx-rate-prod`, `alarm-${colour}-p95-latency-prod`]) }]);
    }
    expect(changesOfType(result.plan, 'aws_lb_target_group').map((c) => after(c).name).sort()).toEqual(['tg-blue-prod', 'tg-green-prod']);
  });

  itTf('plans the HTTPS listener with the weighted forward from config (blue 100, green 0)', () => {
    const https = changesOfType(result.plan, 'aws_lb_listener').map(after).find((l) => l.port === 443);
    expect(https).toMatchObject({ protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
    const forward = https?.default_action[0];
    expect(forward.type).toBe('forward');
    expect(forward.forward[0].target_group.map((g: { weight: number }) => g.weight).sort((a: number, b: number) => a - b)).toEqual([0, 100]);
    const config = (result.plan as unknown as { configuration: { root_module: { resources: ConfigResource[] } } }).configuration.root_module.resources;
    const listener = config.find((r) => r.type === 'aws_lb_listener' && r.address.includes('https-listener'));
    expect(JSON.stringify(listener?.expressions.default_action)).toMatch(/target-group-blue.*target-group-green/);
  });

  itTf('plans CPU and memory alarms for both colours, database-connection and 5xx alarms, each notifying the topic', () => {
    const alarms = changesOfType(result.plan, 'aws_cloudwatch_metric_alarm');
    const names = alarms.map((c) => after(c).alarm_name as string);
    expect(names).toEqual(
      expect.arrayContaining([
        'alarm-blue-cpu-prod',
        'alarm-green-cpu-prod',
        'alarm-blue-memory-prod',
        'alarm-green-memory-prod',
        'alarm-blue-5xx-rate-prod',
        'alarm-green-5xx-rate-prod',
        'alarm-blue-p95-latency-prod',
        'alarm-green-p95-latency-prod',
        'alarm-db-blue-connections-prod',
      ]),
    );
    expect(after(alarms.find((c) => after(c).alarm_name === 'alarm-db-blue-connections-prod') as ResourceChange).threshold).toBe(1000);
    // The topic ARN is unknown until apply: prove each alarm's actions point at the topic in the configuration.
    const config = (result.plan as unknown as { configuration: { root_module: { resources: ConfigResource[] } } }).configuration.root_module.resources;
    const alarmConfigs = config.filter((r) => r.type === 'aws_cloudwatch_metric_alarm');
    expect(alarmConfigs).toHaveLength(alarms.length);
    for (const a of alarmConfigs) {
      expect({ address: a.address, refs: a.expressions.alarm_actions?.references }).toEqual({ address: a.address, refs: expect.arrayContaining([expect.stringMatching(/^aws_sns_topic\..*\.arn$/)]) });
      expect(a.expressions.ok_actions?.references).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_sns_topic\./)]));
    }
    for (const c of alarms) expect(c.change.after_unknown?.alarm_actions).toBeTruthy();
  });

  itTf('outputs the compute contract', () => {
    expect(Object.keys(result.plan.output_changes ?? {})).toEqual(
      expect.arrayContaining([
        'https_listener_arn',
        'test_listener_arn',
        'alb_arn',
        'alb_arn_suffix',
        'alb_dns_name',
        'blue_target_group_arn',
        'green_target_group_arn',
        'blue_target_group_arn_suffix',
        'green_target_group_arn_suffix',
        'ecs_cluster_name',
        'blue_service_name',
        'green_service_name',
        'alarm_topic_arn',
      ]),
    );
  });
});
