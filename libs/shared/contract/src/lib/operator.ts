/**
 * The IAM actions the `bluegreen` command line uses, per command: the one list an operator role is built from.
 *
 * The AWS adapters (`@bluegreen/aws`) send exactly these SDK commands, a test fails when a command sends one that is
 * not listed here, and the stack (`@bluegreen/stack`) turns the list into the environment's operator policy, scoped
 * to the environment's resource ARNs wherever the action takes a resource. `*` only where AWS allows nothing else,
 * each with its reason.
 */

/** The commands that call AWS (the others only read and edit local files). */
export const OPERATOR_COMMANDS = [
  'traffic status',
  'traffic shift',
  'traffic watch',
  'traffic rollback',
  'state show',
  'migration status',
  'migration cutover',
  'migration rollback',
] as const;
export type OperatorCommand = (typeof OPERATOR_COMMANDS)[number];

/**
 * What an action is scoped to in the operator policy:
 * - `state-object`: the environment's state object in the state bucket (`arn:aws:s3:::<bucket>/<key>`);
 * - `state-key`: the state bucket's KMS key, when the config names one (SSE-KMS objects are decrypted with it);
 * - `https-listener`: the HTTPS listener carrying the default service's weighted forward;
 * - `https-listener-rules`: the HTTPS listener rules carrying the other services' weighted forwards;
 * - `ecs-services`: the blue and green ECS services of every service;
 * - `validator-function`: the schema-validator Lambda;
 * - `dms-tasks`: the forward and reverse replication tasks;
 * - `*`: AWS authorises the action on no narrower resource (`starReason` says why).
 */
export type OperatorResource = 'state-object' | 'state-key' | 'https-listener' | 'https-listener-rules' | 'ecs-services' | 'validator-function' | 'dms-tasks' | '*';

export interface OperatorAction {
  /** The IAM action (`service:Action`). */
  readonly action: string;
  /** The AWS SDK v3 command class that sends it (`ModifyListenerCommand`). */
  readonly sdkCommand: string;
  readonly resource: OperatorResource;
  /** Why `*`: only for `resource: '*'`. */
  readonly starReason?: string;
  /** The commands that send it. */
  readonly commands: readonly OperatorCommand[];
  /** What the command does with it, in the operator's words. */
  readonly purpose: string;
}

const OUTPUT_READERS: readonly OperatorCommand[] = ['traffic status', 'traffic shift', 'traffic watch', 'traffic rollback', 'state show', 'migration status', 'migration cutover', 'migration rollback'];

export const OPERATOR_ACTIONS: readonly OperatorAction[] = [
  {
    action: 's3:GetObject',
    sdkCommand: 'GetObjectCommand',
    resource: 'state-object',
    commands: OUTPUT_READERS,
    purpose: 'read the stack outputs and the state from the remote state object (no terraform init)',
  },
  {
    action: 'kms:Decrypt',
    sdkCommand: 'GetObjectCommand',
    resource: 'state-key',
    commands: OUTPUT_READERS,
    purpose: 'decrypt the state object when the state bucket uses SSE-KMS (S3 calls KMS on the reader\'s behalf)',
  },
  {
    action: 'elasticloadbalancing:DescribeListeners',
    sdkCommand: 'DescribeListenersCommand',
    resource: '*',
    starReason: 'ELBv2 Describe* actions take no resource-level permissions',
    commands: ['traffic status'],
    purpose: "read the weights the HTTPS listener forwards with now for the default service (drift)",
  },
  {
    action: 'elasticloadbalancing:DescribeRules',
    sdkCommand: 'DescribeRulesCommand',
    resource: '*',
    starReason: 'ELBv2 Describe* actions take no resource-level permissions',
    commands: ['traffic status'],
    purpose: "read the weights each other service's HTTPS listener rule forwards with now (drift)",
  },
  {
    action: 'elasticloadbalancing:DescribeTargetHealth',
    sdkCommand: 'DescribeTargetHealthCommand',
    resource: '*',
    starReason: 'ELBv2 Describe* actions take no resource-level permissions',
    commands: ['traffic status', 'traffic shift'],
    purpose: 'the target-health gate of the colour about to receive traffic, and each colour\'s health in the status table',
  },
  {
    action: 'elasticloadbalancing:ModifyListener',
    sdkCommand: 'ModifyListenerCommand',
    resource: 'https-listener',
    commands: ['traffic rollback'],
    purpose: "the emergency rollback of the default service: the listener's weighted forward back to the last good colour, without an apply",
  },
  {
    action: 'elasticloadbalancing:ModifyRule',
    sdkCommand: 'ModifyRuleCommand',
    resource: 'https-listener-rules',
    commands: ['traffic rollback'],
    purpose: "the emergency rollback of a service on a listener rule: that rule's weighted forward back to its last good colour, without an apply",
  },
  {
    action: 'ecs:DescribeServices',
    sdkCommand: 'DescribeServicesCommand',
    resource: 'ecs-services',
    commands: ['traffic status'],
    purpose: 'running tasks and rollout state per colour',
  },
  {
    action: 'lambda:InvokeFunction',
    sdkCommand: 'InvokeCommand',
    resource: 'validator-function',
    commands: ['traffic shift'],
    purpose: 'the schema gate: the validator compares the blue and green databases',
  },
  {
    action: 'cloudwatch:DescribeAlarms',
    sdkCommand: 'DescribeAlarmsCommand',
    resource: '*',
    starReason: 'composite alarms are only returned to a DescribeAlarms permission scoped to "*"',
    commands: ['traffic status', 'traffic shift', 'traffic watch'],
    purpose: 'the alarm gate, the watch and the status table: the exact alarms of the colour (names from the stack contract)',
  },
  {
    action: 'cloudwatch:GetMetricData',
    sdkCommand: 'GetMetricDataCommand',
    resource: '*',
    starReason: 'CloudWatch metrics have no ARN',
    commands: ['traffic shift', 'traffic watch', 'migration status', 'migration cutover', 'migration rollback'],
    purpose: 'the rollback matrix signals (5xx, p95, unhealthy hosts) and the DMS CDC latency',
  },
  {
    action: 'dms:DescribeReplicationTasks',
    sdkCommand: 'DescribeReplicationTasksCommand',
    resource: '*',
    starReason: 'DMS DescribeReplicationTasks takes no resource-level permissions (it filters by ARN in the request)',
    commands: ['traffic shift', 'migration status', 'migration cutover', 'migration rollback'],
    purpose: 'the forward and reverse task state (the CDC latency gate of a shift, the migration commands)',
  },
  {
    action: 'dms:DescribeTableStatistics',
    sdkCommand: 'DescribeTableStatisticsCommand',
    resource: 'dms-tasks',
    commands: ['migration status', 'migration cutover', 'migration rollback'],
    purpose: 'DMS row validation of the tasks\' tables',
  },
  {
    action: 'dms:StartReplicationTask',
    sdkCommand: 'StartReplicationTaskCommand',
    resource: 'dms-tasks',
    commands: ['migration cutover'],
    purpose: 'start the reverse task at cutover (--execute)',
  },
  {
    action: 'dms:StopReplicationTask',
    sdkCommand: 'StopReplicationTaskCommand',
    resource: 'dms-tasks',
    commands: ['migration cutover', 'migration rollback'],
    purpose: 'stop the forward task (cutover) or the reverse task (rollback) with --execute',
  },
];

/** The actions a command uses. */
export const operatorActionsOf = (command: OperatorCommand): OperatorAction[] => OPERATOR_ACTIONS.filter((a) => a.commands.includes(command));

/** The SDK command names a command may send (the test's allow-list). */
export const operatorSdkCommandsOf = (command: OperatorCommand): Set<string> => new Set(operatorActionsOf(command).map((a) => a.sdkCommand));
