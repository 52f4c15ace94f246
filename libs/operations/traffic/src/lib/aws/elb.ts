import {
  DescribeListenersCommand,
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
  type Action,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Weights } from '../stages';

export interface ListenerTargets {
  readonly listenerArn: string;
  readonly blueTargetGroupArn: string;
  readonly greenTargetGroupArn: string;
}

/** The forward weights the listener has now (its default action), keyed by target group ARN. */
export interface ListenerWeights {
  readonly weights: Readonly<Record<string, number>>;
  readonly stickinessSeconds: number;
}

/** DescribeListeners for one listener; reads the weighted `forward` default action. */
export async function describeListenerWeights(elb: ElasticLoadBalancingV2Client, listenerArn: string): Promise<ListenerWeights> {
  const res = await elb.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }));
  const listener = res.Listeners?.[0];
  if (!listener) throw new Error(`listener ${listenerArn} not found`);
  const forward = listener.DefaultActions?.find((a) => a.Type === 'forward');
  if (!forward) throw new Error(`listener ${listenerArn} has no forward default action`);
  const weights: Record<string, number> = {};
  if (forward.ForwardConfig?.TargetGroups?.length) {
    for (const tg of forward.ForwardConfig.TargetGroups) if (tg.TargetGroupArn) weights[tg.TargetGroupArn] = tg.Weight ?? 1;
  } else if (forward.TargetGroupArn) {
    weights[forward.TargetGroupArn] = 100;
  }
  const stick = forward.ForwardConfig?.TargetGroupStickinessConfig;
  return { weights, stickinessSeconds: stick?.Enabled ? (stick.DurationSeconds ?? 0) : 0 };
}

/** The weighted forward action the stack's listener uses (blue first, then green), as ModifyListener takes it. */
export function weightedForwardAction(targets: ListenerTargets, weights: Weights, stickinessSeconds: number): Action {
  return {
    Type: 'forward',
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: targets.blueTargetGroupArn, Weight: weights.blue },
        { TargetGroupArn: targets.greenTargetGroupArn, Weight: weights.green },
      ],
      TargetGroupStickinessConfig: stickinessSeconds > 0 ? { Enabled: true, DurationSeconds: stickinessSeconds } : { Enabled: false },
    },
  };
}

/**
 * ModifyListener: replaces the listener's default action with the weighted forward. Takes effect in seconds, without
 * a Terraform apply; the caller writes the same weights into the config so the next plan shows no drift.
 */
export async function setListenerWeights(elb: ElasticLoadBalancingV2Client, targets: ListenerTargets, weights: Weights, stickinessSeconds: number): Promise<void> {
  await elb.send(new ModifyListenerCommand({ ListenerArn: targets.listenerArn, DefaultActions: [weightedForwardAction(targets, weights, stickinessSeconds)] }));
}

export interface TargetHealthSummary {
  readonly targetGroupArn: string;
  readonly healthy: number;
  readonly unhealthy: number;
  /** initial, draining, unused, unavailable … by state. */
  readonly other: Readonly<Record<string, number>>;
  readonly total: number;
}

/** DescribeTargetHealth for one target group, counted by state. */
export async function describeTargetHealth(elb: ElasticLoadBalancingV2Client, targetGroupArn: string): Promise<TargetHealthSummary> {
  const res = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
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
}
