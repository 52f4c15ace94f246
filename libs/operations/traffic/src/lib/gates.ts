import type { Colour } from '@bluegreen/contract';
import type { AlarmPort, TargetHealthPort, ValidatorPort } from './ports';
import { parseValidatorResponse, type ValidatorVerdict } from './validator';

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

/** What a service's schema check compares: the schema the service owns, as the role it connects as (from config). */
export interface SchemaScope {
  readonly service: string;
  readonly schemas: readonly string[];
  readonly appRole?: string;
}

/** Something that says whether the old application keeps working on the new schema (validator Lambda or direct URLs). */
export interface SchemaChecker {
  readonly describe: string;
  /** @param scope the service whose schema to check. @default - every schema the checker is set up for */
  check(scope?: SchemaScope): Promise<ValidatorVerdict>;
}

/**
 * The validator function through its port; the verdict is parsed fail closed ({@link parseValidatorResponse}). With a
 * scope it sends `{ service }`: the function resolves that service's schema and role from its own copy of the config.
 */
export function validatorSchemaChecker(validator: ValidatorPort, functionName: string, event: Readonly<Record<string, unknown>> = {}): SchemaChecker {
  return {
    describe: `validator Lambda ${functionName}`,
    check: async (scope) => parseValidatorResponse(functionName, await validator.invoke(functionName, scope ? { ...event, service: scope.service } : event)),
  };
}

/** The schema gate: `scope` names the service's schema (and role), so another service's schema change cannot hold it up. */
export function schemaGate(checker: SchemaChecker, scope?: SchemaScope): Gate {
  return {
    name: scope ? `schema:${scope.service}` : 'schema',
    async run() {
      const v = await checker.check(scope);
      const more = v.details.length ? `: ${v.details.slice(0, 5).join('; ')}${v.details.length > 5 ? ` (+${v.details.length - 5} more)` : ''}` : '';
      const what = scope ? `schema ${scope.schemas.join(', ')}${scope.appRole ? ` as ${scope.appRole}` : ''}, ` : '';
      return v.compatible ? { status: 'pass', detail: `compatible (${what}${checker.describe})${more}` } : { status: 'fail', detail: `incompatible (${what}${checker.describe})${more}` };
    },
  };
}

/** The target colour's targets: at least `expected` (and at least one) healthy, none unhealthy. */
export function targetHealthGate(port: TargetHealthPort, colour: Colour, targetGroupArn: string, expected: number): Gate {
  return {
    name: `target-health:${colour}`,
    async run() {
      const h = await port.targetHealth(targetGroupArn);
      const others = Object.entries(h.other).map(([k, v]) => `${v} ${k}`);
      const text = `${h.healthy} healthy, ${h.unhealthy} unhealthy${others.length ? `, ${others.join(', ')}` : ''} (expected ${expected})`;
      if (h.unhealthy > 0 || h.healthy < Math.max(1, expected)) return { status: 'fail', detail: text };
      return { status: 'pass', detail: text };
    },
  };
}

/**
 * None of the colour's alarms (exact names from the stack contract) in ALARM. No alarm named, or a named alarm
 * CloudWatch does not know, cannot be confirmed: error.
 */
export function alarmsGate(port: AlarmPort, colour: Colour, names: readonly string[]): Gate {
  return {
    name: `alarms:${colour}`,
    async run() {
      if (names.length === 0) return { status: 'error', detail: `the stack contract names no alarm for ${colour}: cannot confirm it is healthy (is monitoring deployed?)` };
      const alarms = await port.alarmStates(names);
      const missing = names.filter((n) => !alarms.some((a) => a.name === n));
      const firing = alarms.filter((a) => a.state === 'ALARM');
      if (firing.length > 0) return { status: 'fail', detail: `in ALARM: ${firing.map((a) => a.name).join(', ')}` };
      if (missing.length > 0) return { status: 'error', detail: `CloudWatch has no alarm ${missing.join(', ')}: cannot confirm ${colour} is healthy` };
      const noData = alarms.filter((a) => a.state === 'INSUFFICIENT_DATA').length;
      return { status: 'pass', detail: `${alarms.length} alarm(s), none in ALARM${noData ? ` (${noData} with insufficient data)` : ''}` };
    },
  };
}
