/**
 * The AWS SDK implementation of the traffic workflows' ports (`@bluegreen/traffic`): ELBv2 for the listener and
 * target health, CloudWatch for alarms and metrics, ECS for the services, Lambda for the validator. Each method
 * sends exactly the SDK commands listed for it in the operator policy (OPERATOR_ACTIONS of @bluegreen/contract).
 */
import { DescribeAlarmsCommand, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, DescribeRulesCommand, DescribeTargetHealthCommand, ModifyListenerCommand, ModifyRuleCommand, type Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import type { AlarmPort, AlarmState, ForwardTargets, ListenerPort, MetricsPort, MetricWindow, ServicePort, ServiceStatus, TargetHealthPort, TargetHealthSummary, ValidatorPort, Weights } from '@bluegreen/traffic';
import type { AwsClients } from './clients';


/** The weighted forward action the stack's listener uses (blue first, then green), as ModifyListener takes it. */
export function weightedForwardAction(targets: ForwardTargets, weights: Weights, stickinessSeconds: number): Action {
  return {
    Type: 'forward',
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: targets.targetGroupArns.blue, Weight: weights.blue },
        { TargetGroupArn: targets.targetGroupArns.green, Weight: weights.green },
      ],
      TargetGroupStickinessConfig: stickinessSeconds > 0 ? { Enabled: true, DurationSeconds: stickinessSeconds } : { Enabled: false },
    },
  };
}

/**
 * A service's weighted forward: the HTTPS listener's default action (the default service: DescribeListeners /
 * ModifyListener) or the service's own listener rule (DescribeRules / ModifyRule). Setting one never touches another.
 */
export function awsListenerPort(c: Pick<AwsClients, 'elb'>): ListenerPort {
  const readForward = async (targets: ForwardTargets): Promise<{ forward: Action; where: string }> => {
    if (targets.route.kind === 'listener-rule') {
      const arn = targets.route.ruleArn;
      const res = await c.elb.send(new DescribeRulesCommand({ RuleArns: [arn] }));
      const rule = res.Rules?.[0];
      if (!rule) throw new Error(`listener rule ${arn} not found`);
      const forward = rule.Actions?.find((a) => a.Type === 'forward');
      if (!forward) throw new Error(`listener rule ${arn} has no forward action`);
      return { forward, where: `listener rule ${arn}` };
    }
    const arn = targets.route.listenerArn;
    const res = await c.elb.send(new DescribeListenersCommand({ ListenerArns: [arn] }));
    const listener = res.Listeners?.[0];
    if (!listener) throw new Error(`listener ${arn} not found`);
    const forward = listener.DefaultActions?.find((a) => a.Type === 'forward');
    if (!forward) throw new Error(`listener ${arn} has no forward default action`);
    return { forward, where: `listener ${arn}` };
  };
  return {
    async readWeights(targets) {
      const { forward } = await readForward(targets);
      const byArn: Record<string, number> = {};
      if (forward.ForwardConfig?.TargetGroups?.length) {
        for (const tg of forward.ForwardConfig.TargetGroups) if (tg.TargetGroupArn) byArn[tg.TargetGroupArn] = tg.Weight ?? 1;
      } else if (forward.TargetGroupArn) byArn[forward.TargetGroupArn] = 100;
      const stick = forward.ForwardConfig?.TargetGroupStickinessConfig;
      const known = new Set(Object.values(targets.targetGroupArns));
      return {
        weights: { blue: byArn[targets.targetGroupArns.blue] ?? 0, green: byArn[targets.targetGroupArns.green] ?? 0 },
        stickinessSeconds: stick?.Enabled ? (stick.DurationSeconds ?? 0) : 0,
        otherTargets: Object.keys(byArn).filter((a) => !known.has(a)),
      };
    },
    async setWeights(targets, weights, stickinessSeconds) {
      const action = weightedForwardAction(targets, weights, stickinessSeconds);
      if (targets.route.kind === 'listener-rule') await c.elb.send(new ModifyRuleCommand({ RuleArn: targets.route.ruleArn, Actions: [action] }));
      else await c.elb.send(new ModifyListenerCommand({ ListenerArn: targets.route.listenerArn, DefaultActions: [action] }));
    },
  };
}

export function awsTargetHealthPort(c: Pick<AwsClients, 'elb'>): TargetHealthPort {
  return {
    async targetHealth(targetGroupArn): Promise<TargetHealthSummary> {
      const res = await c.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
      let healthy = 0;
      let unhealthy = 0;
      const other: Record<string, number> = {};
      for (const d of res.TargetHealthDescriptions ?? []) {
        const state = d.TargetHealth?.State ?? 'unknown';
        if (state === 'healthy') healthy++;
        else if (state === 'unhealthy') unhealthy++;
        else other[state] = (other[state] ?? 0) + 1;
      }
      return { targetGroupArn, healthy, unhealthy, other, total: res.TargetHealthDescriptions?.length ?? 0 };
    },
  };
}

export function awsAlarmPort(c: Pick<AwsClients, 'cloudwatch'>): AlarmPort {
  return {
    async alarmStates(names): Promise<AlarmState[]> {
      const out: AlarmState[] = [];
      // DescribeAlarms takes at most 100 names per call.
      for (let i = 0; i < names.length; i += 100) {
        let token: string | undefined;
        do {
          const res = await c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names.slice(i, i + 100), AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken: token }));
          for (const a of [...(res.MetricAlarms ?? []), ...(res.CompositeAlarms ?? [])]) {
            if (a.AlarmName) out.push({ name: a.AlarmName, state: a.StateValue ?? 'INSUFFICIENT_DATA', ...(a.StateReason ? { reason: a.StateReason } : {}) });
          }
          token = res.NextToken;
        } while (token);
      }
      return out;
    },
  };
}

/** The GetMetricData queries for one colour's target group over a window (one period covering the window). */
export function colourMetricQueries(w: MetricWindow): MetricDataQuery[] {
  const seconds = Math.max(60, Math.ceil((w.end.getTime() - w.start.getTime()) / 60_000) * 60);
  const dims = [
    { Name: 'LoadBalancer', Value: w.loadBalancerArnSuffix },
    { Name: 'TargetGroup', Value: w.targetGroupArnSuffix },
  ];
  const q = (id: string, metric: string, stat: string): MetricDataQuery => ({
    Id: id,
    MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: metric, Dimensions: dims }, Period: seconds, Stat: stat },
    ReturnData: true,
  });
  return [q('requests', 'RequestCount', 'Sum'), q('http5xx', 'HTTPCode_Target_5XX_Count', 'Sum'), q('p95', 'TargetResponseTime', 'p95'), q('unhealthy', 'UnHealthyHostCount', 'Maximum')];
}

/**
 * Requests and 5xx summed, p95 and unhealthy hosts as their maximum over the returned periods. A metric with no
 * datapoints is undefined (the matrix holds on missing data). CloudWatch omits zero-sum periods, so 5xx with no
 * datapoints while requests have some counts as 0.
 */
export function awsMetricsPort(c: Pick<AwsClients, 'cloudwatch'>): MetricsPort {
  return {
    async colourSignals(w) {
      const values: Record<string, number[]> = {};
      let token: string | undefined;
      do {
        const res = await c.cloudwatch.send(new GetMetricDataCommand({ MetricDataQueries: colourMetricQueries(w), StartTime: w.start, EndTime: w.end, ScanBy: 'TimestampDescending', NextToken: token }));
        for (const r of res.MetricDataResults ?? []) if (r.Id) (values[r.Id] ??= []).push(...(r.Values ?? []));
        token = res.NextToken;
      } while (token);
      const sum = (id: string) => (values[id]?.length ? values[id].reduce((a, b) => a + b, 0) : undefined);
      const max = (id: string) => (values[id]?.length ? Math.max(...values[id]) : undefined);
      const requests = sum('requests');
      const http5xx = sum('http5xx') ?? (requests !== undefined ? 0 : undefined);
      return { requests, http5xx, p95Seconds: max('p95'), unhealthyHosts: max('unhealthy') };
    },
  };
}

export function awsServicePort(c: Pick<AwsClients, 'ecs'>): ServicePort {
  return {
    async serviceStatus(cluster, serviceNames): Promise<ServiceStatus[]> {
      const res = await c.ecs.send(new DescribeServicesCommand({ cluster, services: [...serviceNames] }));
      return serviceNames.map((name) => {
        const s = res.services?.find((x) => x.serviceName === name);
        if (!s) return { serviceName: name, status: 'MISSING', desiredCount: 0, runningCount: 0, pendingCount: 0 };
        const primary = s.deployments?.find((d) => d.status === 'PRIMARY');
        return {
          serviceName: name,
          status: s.status ?? 'UNKNOWN',
          desiredCount: s.desiredCount ?? 0,
          runningCount: s.runningCount ?? 0,
          pendingCount: s.pendingCount ?? 0,
          ...(s.taskDefinition ? { taskDefinition: s.taskDefinition } : {}),
          ...(primary?.rolloutState ? { rolloutState: primary.rolloutState } : {}),
        };
      });
    },
  };
}

export function awsValidatorPort(c: Pick<AwsClients, 'lambda'>): ValidatorPort {
  return {
    async invoke(functionName, event) {
      const res = await c.lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(event)) }));
      return { ...(res.StatusCode !== undefined ? { statusCode: res.StatusCode } : {}), ...(res.FunctionError ? { functionError: res.FunctionError } : {}), payload: res.Payload ? new TextDecoder().decode(res.Payload) : '' };
    },
  };
}
