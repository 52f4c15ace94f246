import { COLOURS, type Colour } from '@bluegreen/contract';
import { Fn } from 'cdktf';

/** The two colours of a blue/green deployment (declared once, in @bluegreen/contract). */
export { COLOURS, type Colour };

/** Listener weights per colour; they sum to 100. */
export interface TrafficWeights {
  readonly blue: number;
  readonly green: number;
}

/** An ALB target-group health check. */
export interface TargetHealthCheck {
  /** @default '/health' */
  readonly path?: string;
  /** HTTP codes that mean healthy. @default '200' */
  readonly matcher?: string;
  /** @default 15 */
  readonly intervalSeconds?: number;
  /** Must be below intervalSeconds. @default 5 */
  readonly timeoutSeconds?: number;
  /** @default 3 */
  readonly healthyThreshold?: number;
  /** @default 3 */
  readonly unhealthyThreshold?: number;
}

/** One IAM policy statement (Allow). */
export interface PolicyStatement {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

/**
 * How requests reach a service. The default service answers everything no rule matches (the HTTPS and test
 * listeners' default actions); every other service has a listener rule on both listeners matching its path patterns
 * and/or host headers (both given: a request must match one of each), evaluated by priority (lowest first).
 */
export type ServiceRouting =
  | { readonly default: true }
  | {
      readonly default?: false;
      /** ALB path patterns (`/payments`, `/payments/*`); case-sensitive, `*` and `?` wildcards. @default [] */
      readonly pathPatterns?: readonly string[];
      /** Host headers (`payments.example.com`, `*.example.com`). @default [] */
      readonly hostHeaders?: readonly string[];
      /** The listener rule's priority, 1-50000, unique among the services (lowest is evaluated first). */
      readonly priority: number;
    };

/** Throws `<construct>: <prop> must …, got …`. */
export function refuse(construct: string, prop: string, rule: string, value: unknown): never {
  throw new Error(problem(construct, prop, rule, value));
}

/** `<construct>: <prop> <rule>, got <value>`: one problem, in the wording {@link refuse} throws. */
export function problem(construct: string, prop: string, rule: string, value: unknown): string {
  return `${construct}: ${prop} ${rule}, got ${JSON.stringify(value)}`;
}

/** Throws every problem at once (one per line), or nothing. */
export function refuseAll(construct: string, problems: readonly string[]): void {
  if (problems.length === 1) throw new Error(problems[0]);
  if (problems.length > 1) throw new Error(`${construct}: ${problems.length} problems:\n  - ${problems.join('\n  - ')}`);
}

/**
 * An IAM policy document (no `aws_iam_policy_document` data source: plans stay offline). `Fn.jsonencode`, not
 * `JSON.stringify`: a JSON string holding Terraform references breaks `cdktf synth --hcl`.
 */
export function policyDocument(statements: readonly Record<string, unknown>[]): string {
  return Fn.jsonencode({ Version: '2012-10-17', Statement: statements });
}
