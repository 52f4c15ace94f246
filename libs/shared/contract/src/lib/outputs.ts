/**
 * What an environment stack publishes for the operations tools, and how they read it back.
 *
 * The stack writes one structured Terraform output, {@link STACK_CONTRACT_OUTPUT}, whose value is a
 * {@link StackContract}; the command line reads that output (from the remote state, or a `terraform output -json`
 * file) and parses it with {@link parseStackContract}. Both sides import this module, so a name cannot change on one
 * side alone: the stack's tests parse the synthesized output with the same schema the command line uses.
 *
 * Every value is an identifier (ARN, name, endpoint), never a secret.
 */
import { z } from 'zod';

/** The name of the one Terraform output holding the {@link StackContract}. */
export const STACK_CONTRACT_OUTPUT = 'bluegreen';

/** Bumped when a field is removed or changes meaning; readers refuse a version they do not know. */
export const STACK_CONTRACT_VERSION = 1;

const nonEmpty = z.string().min(1);
const perColour = <T extends z.ZodType>(schema: T) => z.strictObject({ blue: schema, green: schema });

const targetGroupSchema = z.strictObject({
  /** Target group ARN (the weighted forward's targets). */
  arn: nonEmpty,
  /** The `TargetGroup` dimension of its CloudWatch metrics. */
  arnSuffix: nonEmpty,
});

const serviceSchema = z.strictObject({
  /** The service's name as configured (lowercase letters, digits, hyphens). */
  name: nonEmpty,
  /**
   * Where this service's weighted forward lives on the HTTPS listener: the listener's default action for the default
   * service, a listener rule (its ARN) for every other.
   */
  route: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('default-action'), listenerArn: nonEmpty }),
    z.strictObject({ kind: z.literal('listener-rule'), ruleArn: nonEmpty }),
  ]),
  /** The same forward on the test listener (the colour not live), when the stack has a test listener. */
  testRoute: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('default-action'), listenerArn: nonEmpty }),
      z.strictObject({ kind: z.literal('listener-rule'), ruleArn: nonEmpty }),
    ])
    .optional(),
  targetGroups: perColour(targetGroupSchema),
  /** ECS service names per colour. */
  ecsServices: perColour(nonEmpty),
  /** Every CloudWatch alarm that speaks for this colour of this service (exact names, never a prefix). */
  alarms: perColour(z.array(nonEmpty)),
  /** The database schema this service owns, when configured (the schema check looks at it only). */
  databaseSchema: nonEmpty.optional(),
  /** The ECR repository the stack keeps for this service's images (push `url:<tag>`, then set the tag in config). */
  imageRepository: z.strictObject({ name: nonEmpty, url: nonEmpty }).optional(),
});

const databaseSchema = z.strictObject({
  clusterId: nonEmpty,
  /** Writer endpoint (host name). */
  endpoint: nonEmpty,
  /** ARN of the RDS-managed master secret (the ARN, never the value). */
  masterSecretArn: nonEmpty,
});

/**
 * The database migration's tasks and alarms (`migration status|cutover|rollback`, the traffic gate on forward CDC
 * latency). The fields after `alarms` were added later and are optional, so older stacks still parse.
 */
export const migrationSchema = z.strictObject({
  /** The full-load-and-cdc task old -> new. */
  forwardTaskArn: nonEmpty,
  /** The CDC-only task new -> old (the way back), when `migration.reverse.enabled`. */
  reverseTaskArn: nonEmpty.optional(),
  /** Every alarm of the migration (CDC latency of both tasks, exact names). */
  alarms: z.array(nonEmpty),
  /** The replication instance identifier: the `ReplicationInstanceIdentifier` dimension of the DMS task metrics. */
  replicationInstanceId: nonEmpty.optional(),
  /** The CDC latency alarms of the reverse task (exact names), when it exists. */
  reverseAlarms: z.array(nonEmpty).optional(),
  /** Forward CDC latency (seconds) above which cutover and traffic shifts wait (the alarm threshold). */
  cdcLatencyThresholdSeconds: z.number().int().positive().optional(),
  /** The one-off data verify task (ECS Fargate), when `migration.verifyTask.enabled`. */
  verifyTask: z
    .strictObject({
      /** Run it in the stack's ECS cluster (`ecsClusterName`). */
      taskDefinitionArn: nonEmpty,
      subnetIds: z.array(nonEmpty).min(1),
      securityGroupId: nonEmpty,
      /** `s3://bucket/prefix/`: where the task writes its reports. */
      reportLocation: nonEmpty,
    })
    .optional(),
});

export const stackContractSchema = z.strictObject({
  version: z.literal(STACK_CONTRACT_VERSION),
  environment: nonEmpty,
  environmentSuffix: nonEmpty,
  region: nonEmpty,
  accountId: nonEmpty,
  loadBalancer: z.strictObject({
    arn: nonEmpty,
    /** The `LoadBalancer` dimension of its CloudWatch metrics. */
    arnSuffix: nonEmpty,
    dnsName: nonEmpty,
    httpsListenerArn: nonEmpty,
    testListenerArn: nonEmpty.optional(),
  }),
  ecsClusterName: nonEmpty,
  /** Every service of the environment by name; exactly one is the default route. */
  services: z.record(z.string(), serviceSchema),
  defaultService: nonEmpty,
  databases: z.strictObject({ blue: databaseSchema, green: databaseSchema.optional() }),
  /** The schema-validator Lambda, when the stack deploys it. */
  validatorFunctionName: nonEmpty.optional(),
  /** SNS topic every alarm notifies. */
  alarmTopicArn: nonEmpty,
  /** DMS tasks, when a migration is configured. */
  migration: migrationSchema.optional(),
  /** The managed policy with exactly the command line's IAM actions on this environment (OPERATOR_ACTIONS). */
  operatorPolicyArn: nonEmpty.optional(),
});

export type StackContract = z.infer<typeof stackContractSchema>;
export type ServiceContract = StackContract['services'][string];
export type ServiceRoute = ServiceContract['route'];
export type DatabaseContract = StackContract['databases']['blue'];
export type MigrationContract = z.infer<typeof migrationSchema>;

/** The contract's value could not be read; the message names the field or the source. */
export class StackContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackContractError';
  }
}

/**
 * Parses the contract output's value (already JSON-decoded). Refuses an unknown version and lists every field that
 * does not fit, by path; `source` says where the value came from (`s3://bucket/key`, a file name).
 */
export function parseStackContract(value: unknown, source: string): StackContract {
  if (value !== null && typeof value === 'object' && 'version' in value && (value as { version: unknown }).version !== STACK_CONTRACT_VERSION) {
    throw new StackContractError(
      `${source}: output '${STACK_CONTRACT_OUTPUT}' has contract version ${JSON.stringify((value as { version: unknown }).version)}; this bluegreen reads version ${STACK_CONTRACT_VERSION} (upgrade the tool, or redeploy the stack with this version)`,
    );
  }
  const result = stackContractSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new StackContractError(`${source}: output '${STACK_CONTRACT_OUTPUT}' does not match the stack contract:\n  - ${problems.join('\n  - ')}`);
  }
  const contract = result.data;
  if (!(contract.defaultService in contract.services)) {
    throw new StackContractError(`${source}: defaultService ${JSON.stringify(contract.defaultService)} is not one of the services (${Object.keys(contract.services).join(', ')})`);
  }
  return contract;
}

/** The named service, or an error listing the services there are. */
export function serviceOf(contract: StackContract, name: string | undefined): ServiceContract {
  const names = Object.keys(contract.services);
  if (name === undefined) {
    if (names.length === 1) return contract.services[names[0]];
    throw new StackContractError(`environment ${contract.environment} has ${names.length} services (${names.join(', ')}): name one with --service`);
  }
  const service = contract.services[name];
  if (!service) throw new StackContractError(`environment ${contract.environment} has no service ${JSON.stringify(name)} (services: ${names.join(', ')})`);
  return service;
}

