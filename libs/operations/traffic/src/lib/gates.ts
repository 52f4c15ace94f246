import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Colour } from '@bluegreen/config';
import { describeAlarmsByPrefix } from './aws/cloudwatch';
import { describeTargetHealth } from './aws/elb';
import { invokeSchemaValidator, type ValidatorVerdict } from './aws/lambda';

/** pass: go on. fail: the gate said no (exit 1). error: the gate could not decide (exit 2); fails closed. */
export type GateStatus = 'pass' | 'fail' | 'error';

export interface GateResult {
  readonly gate: string;
  readonly status: GateStatus;
  readonly detail: string;
}

export interface Gate {
  readonly name: string;
  run(): Promise<Omit<GateResult, 'gate'>>;
}

/**
 * Runs gates in order, stopping at the first that does not pass (any failure stops the shift). A gate that throws
 * is an `error` result carrying the message. `onResult` sees each result as it lands (for printing).
 */
export async function runGates(gates: readonly Gate[], onResult: (r: GateResult) => void = () => undefined): Promise<{ ok: boolean; results: GateResult[] }> {
  const results: GateResult[] = [];
  for (const g of gates) {
    let r: GateResult;
    try {
      r = { gate: g.name, ...(await g.run()) };
    } catch (err) {
      r = { gate: g.name, status: 'error', detail: err instanceof Error ? err.message : String(err) };
    }
    results.push(r);
    onResult(r);
    if (r.status !== 'pass') return { ok: false, results };
  }
  return { ok: true, results };
}

/** Something that says whether the old application keeps working on the new schema (validator Lambda or direct URLs). */
export interface SchemaChecker {
  readonly describe: string;
  check(): Promise<ValidatorVerdict>;
}

export function lambdaSchemaChecker(lambda: LambdaClient, functionName: string): SchemaChecker {
  return { describe: `validator Lambda ${functionName}`, check: () => invokeSchemaValidator(lambda, functionName) };
}

export function schemaGate(checker: SchemaChecker): Gate {
  return {
    name: 'schema',
    async run() {
      const v = await checker.check();
      const more = v.details.length ? `: ${v.details.slice(0, 5).join('; ')}${v.details.length > 5 ? ` (+${v.details.length - 5} more)` : ''}` : '';
      return v.compatible ? { status: 'pass', detail: `compatible (${checker.describe})${more}` } : { status: 'fail', detail: `incompatible (${checker.describe})${more}` };
    },
  };
}

/** The target colour's targets: at least `expected` (and at least one) healthy, none unhealthy. */
export function targetHealthGate(elb: ElasticLoadBalancingV2Client, colour: Colour, targetGroupArn: string, expected: number): Gate {
  return {
    name: `target-health:${colour}`,
    async run() {
      const h = await describeTargetHealth(elb, targetGroupArn);
      const others = Object.entries(h.other).map(([k, v]) => `${v} ${k}`);
      const text = `${h.healthy} healthy, ${h.unhealthy} unhealthy${others.length ? `, ${others.join(', ')}` : ''} (expected ${expected})`;
      if (h.unhealthy > 0 || h.healthy < Math.max(1, expected)) return { status: 'fail', detail: text };
      return { status: 'pass', detail: text };
    },
  };
}

/** No alarm of the colour (`alarm-<colour>-…`) in ALARM. Finding no alarm at all cannot be confirmed: error. */
export function alarmsGate(cw: CloudWatchClient, colour: Colour, prefix = `alarm-${colour}-`): Gate {
  return {
    name: `alarms:${colour}`,
    async run() {
      const alarms = await describeAlarmsByPrefix(cw, prefix);
      if (alarms.length === 0) return { status: 'error', detail: `no alarms named ${prefix}* found: cannot confirm ${colour} is healthy (is monitoring deployed?)` };
      const firing = alarms.filter((a) => a.state === 'ALARM');
      const noData = alarms.filter((a) => a.state === 'INSUFFICIENT_DATA').length;
      if (firing.length > 0) return { status: 'fail', detail: `in ALARM: ${firing.map((a) => a.name).join(', ')}` };
      return { status: 'pass', detail: `${alarms.length} alarm(s), none in ALARM${noData ? ` (${noData} with insufficient data)` : ''}` };
    },
  };
}
