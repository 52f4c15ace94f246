/**
 * What the traffic workflows need from outside the process, named for the workflow (not for the AWS service).
 * The AWS SDK adapters (`@bluegreen/aws`: `awsTrafficPorts`) are one implementation; tests and a local rehearsal
 * (a weighted proxy, local validator, local metrics) bring others. Every method either returns what it read or
 * throws: never a default in place of a value it could not read.
 */
import type { Colour, StackContract } from '@bluegreen/contract';
import type { DmsPort } from '@bluegreen/cutover';
import type { ColourSignals } from './decision';
import type { Weights } from './stages';

/** Where one service's weighted forward lives and the two target groups it forwards to. */
export interface ForwardTargets {
  readonly route: { readonly kind: 'default-action'; readonly listenerArn: string } | { readonly kind: 'listener-rule'; readonly ruleArn: string };
  readonly targetGroupArns: Readonly<Record<Colour, string>>;
}

/** What the forward sends now. */
export interface ForwardWeights {
  readonly weights: Weights;
  readonly stickinessSeconds: number;
  /** Target groups in the forward that are neither blue nor green (never expected; drift when present). */
  readonly otherTargets: readonly string[];
}

/** Listener weights: read them (status) and set them at once (rollback, no apply). */
export interface ListenerPort {
  readWeights(targets: ForwardTargets): Promise<ForwardWeights>;
  setWeights(targets: ForwardTargets, weights: Weights, stickinessSeconds: number): Promise<void>;
}

export interface TargetHealthSummary {
  readonly targetGroupArn: string;
  readonly healthy: number;
  readonly unhealthy: number;
  /** initial, draining, unused, unavailable … by state. */
  readonly other: Readonly<Record<string, number>>;
  readonly total: number;
}

/** Target health of one target group, counted by state. */
export interface TargetHealthPort {
  targetHealth(targetGroupArn: string): Promise<TargetHealthSummary>;
}

export interface AlarmState {
  readonly name: string;
  /** OK, ALARM, INSUFFICIENT_DATA. */
  readonly state: string;
  readonly reason?: string;
}

/** The state of exactly these alarms (names from the stack contract); an alarm not found is left out. */
export interface AlarmPort {
  alarmStates(names: readonly string[]): Promise<AlarmState[]>;
}

export interface MetricWindow {
  /** The `LoadBalancer` metric dimension (`app/<name>/<id>`). */
  readonly loadBalancerArnSuffix: string;
  /** The `TargetGroup` metric dimension (`targetgroup/<name>/<id>`). */
  readonly targetGroupArnSuffix: string;
  readonly start: Date;
  readonly end: Date;
}

/** The rollback matrix's signals of one colour's target group over a window; a signal with no data is undefined. */
export interface MetricsPort {
  colourSignals(window: MetricWindow): Promise<Omit<ColourSignals, 'alarmsInAlarm'>>;
}

export interface ServiceStatus {
  readonly serviceName: string;
  /** ACTIVE, DRAINING, INACTIVE, or MISSING when the cluster has no such service. */
  readonly status: string;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly pendingCount: number;
  readonly taskDefinition?: string;
  /** The PRIMARY deployment's rollout state (COMPLETED, IN_PROGRESS, FAILED). */
  readonly rolloutState?: string;
}

/** Task counts and rollout state of a cluster's services. */
export interface ServicePort {
  serviceStatus(cluster: string, serviceNames: readonly string[]): Promise<ServiceStatus[]>;
}

/** The raw answer of one validator invocation (the verdict is parsed by the library, fail closed). */
export interface ValidatorResponse {
  readonly statusCode?: number;
  /** Set when the function itself failed (`Unhandled`, `Handled`). */
  readonly functionError?: string;
  /** The function's JSON answer as text. */
  readonly payload: string;
}

/** Invokes the schema validator (RequestResponse) with an event; see docs/operating.md for the event shape. */
export interface ValidatorPort {
  invoke(functionName: string, event: Readonly<Record<string, unknown>>): Promise<ValidatorResponse>;
}

/** The stack contract and where it was read from (`s3://bucket/key (remote state, serial 12)`, a file name). */
export interface StackOutputsRead {
  readonly contract: StackContract;
  readonly source: string;
}

/** Reads the environment's stack outputs (the `bluegreen` contract output). */
export interface StackOutputsPort {
  read(): Promise<StackOutputsRead>;
}

/** The overall deadline of a command, when it has one: long loops (watch) stop when it has passed. */
export interface DeadlinePort {
  readonly expired: boolean;
  /** `the 30 s deadline of traffic status`, for messages. */
  readonly description: string;
}

/** Everything the traffic workflows may touch; each workflow uses only what it needs. */
export interface TrafficPorts {
  readonly outputs: StackOutputsPort;
  readonly listener: ListenerPort;
  readonly targetHealth: TargetHealthPort;
  readonly alarms: AlarmPort;
  readonly metrics: MetricsPort;
  readonly services: ServicePort;
  readonly validator: ValidatorPort;
  /** DMS task state and CDC latency, for the CDC latency gate when the stack has a migration. */
  readonly dms?: DmsPort;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly deadline?: DeadlinePort;
}
