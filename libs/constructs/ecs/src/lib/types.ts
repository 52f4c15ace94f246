import { Fn } from 'cdktf';

/** The two colours of a blue/green deployment. */
export type Colour = 'blue' | 'green';
export const COLOURS: readonly Colour[] = ['blue', 'green'];

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

/** Throws `<construct>: <prop> must …, got …`. */
export function refuse(construct: string, prop: string, rule: string, value: unknown): never {
  throw new Error(`${construct}: ${prop} ${rule}, got ${JSON.stringify(value)}`);
}

/**
 * An IAM policy document (no `aws_iam_policy_document` data source: plans stay offline). `Fn.jsonencode`, not
 * `JSON.stringify`: a JSON string holding Terraform references breaks `cdktf synth --hcl`.
 */
export function policyDocument(statements: readonly Record<string, unknown>[]): string {
  return Fn.jsonencode({ Version: '2012-10-17', Statement: statements });
}
