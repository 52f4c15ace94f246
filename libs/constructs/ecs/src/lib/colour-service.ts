import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { FARGATE_MEMORY, LOG_RETENTION_DAYS, type Naming } from '@bluegreen/config';
import { dependable, Fn, Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { policyDocument, refuse, type Colour, type PolicyStatement } from './types';

/** The container's name inside every task definition (the load balancer attaches to it). */
export const CONTAINER_NAME = 'app';

/** The database a colour's tasks use. Its connection values become environment; its credentials become `secrets`. */
export interface ColourDatabase {
  /** Writer endpoint (DB_HOST). */
  readonly host: string;
  /** @default 5432 */
  readonly port?: number;
  /** Database name (DB_NAME). */
  readonly name: string;
  /** The Secrets Manager secret holding `username` and `password` (an RDS-managed master secret has both). */
  readonly secretArn: string;
  /** The customer-managed KMS key that encrypts the secret (the execution role may decrypt through Secrets Manager only). */
  readonly secretKmsKeyArn: string;
  /** The database's security group: the tasks get an egress rule to it on `port`. */
  readonly securityGroupId: string;
}

/** A value ECS injects into the container from Secrets Manager (never a plain environment value). */
export interface ContainerSecret {
  /** The environment variable the application reads. */
  readonly name: string;
  /** The Secrets Manager secret; the execution role may read this secret and no other (besides the database's). */
  readonly secretArn: string;
  /** A key of the secret's JSON value. @default - the whole secret string */
  readonly jsonKey?: string;
  /**
   * The customer-managed KMS key that encrypts the secret; the execution role may decrypt with it through Secrets
   * Manager only. @default - none (the secret uses the AWS managed key, which needs no grant)
   */
  readonly kmsKeyArn?: string;
}

/** What differs between the blue and the green service: the application and its sizing. */
export interface ColourSettings {
  /** Image with an explicit tag or digest (never `latest`). */
  readonly image: string;
  /** Fargate cpu units. */
  readonly cpu: number;
  /** MiB; a valid Fargate pair with cpu. */
  readonly memory: number;
  /** Tasks at creation; afterwards autoscaling owns the count (see README). */
  readonly desiredCount: number;
  /** @default desiredCount */
  readonly minCount?: number;
  /** @default max(desiredCount * 3, 2), or 0 for a parked colour */
  readonly maxCount?: number;
  /** Plain environment values (never secrets). @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /** Writable scratch directories under the read-only root filesystem. @default ['/tmp'] */
  readonly writablePaths?: readonly string[];
  /** What the application itself may do (the task role). @default [] (a role with no permissions) */
  readonly taskRolePolicyStatements?: readonly PolicyStatement[];
  /** Secrets injected as environment variables, beside the database credentials. @default [] */
  readonly secrets?: readonly ContainerSecret[];
  /** The database this colour's tasks connect to (blue cluster by default; green when enabled and assigned). */
  readonly database: ColourDatabase;
  /**
   * CloudWatch alarms that roll a deployment of this colour back (ECS deployment alarms). Names, not references,
   * so alarms can watch the service without a dependency cycle. @default [] (circuit breaker only)
   */
  readonly deploymentAlarmNames?: readonly string[];
}

export interface ColourServiceProps extends ColourSettings {
  readonly naming: Naming;
  readonly colour: Colour;
  /**
   * The service this colour belongs to; its name goes into every resource name (`service-<service>-<colour>-<suffix>`).
   * @default - unqualified names (`service-<colour>-<suffix>`): the service an environment had before it listed
   *   several keeps the names it was deployed with (renaming them would replace its ECS services, roles and groups)
   */
  readonly service?: string;
  readonly region: string;
  readonly accountId: string;
  readonly clusterArn: string;
  /** The cluster's name (autoscaling resource id). */
  readonly clusterName: string;
  readonly vpcId: string;
  /** Private subnets; tasks get no public IP. */
  readonly subnetIds: readonly string[];
  readonly containerPort: number;
  /** @default 30 */
  readonly logRetentionDays?: number;
  /** @default 60 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** CPU target for target tracking. @default 60 */
  readonly cpuTargetPercent?: number;
  /** The colour's target group. */
  readonly targetGroupArn: string;
  /** The ALB's security group: the only source admitted, on containerPort only. */
  readonly loadBalancerSecurityGroupId: string;
  /** Resources the service must wait for (the listeners that attach its target group to the ALB). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** Variables ECS sets from the database: config may not set them itself. */
const DATABASE_VARIABLES = ['DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_USERNAME', 'DB_PASSWORD'];
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@!-]+$/;

function validate(p: ColourServiceProps): void {
  const n = p.service === undefined ? `ColourService(${p.colour})` : `ColourService(${p.service}/${p.colour})`;
  if (!/(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/.test(p.image) || !p.image.slice(p.image.lastIndexOf('/') + 1).match(/[:@]/)) {
    refuse(n, 'image', 'must carry an explicit tag or digest', p.image);
  }
  if (/:latest(@|$)/.test(p.image)) refuse(n, 'image', "must not use the mutable tag 'latest'", p.image);
  const allowed = FARGATE_MEMORY[p.cpu];
  if (!allowed) refuse(n, 'cpu', `must be a Fargate cpu size (${Object.keys(FARGATE_MEMORY).join(', ')})`, p.cpu);
  if (!allowed.includes(p.memory)) refuse(n, 'memory', `must be a Fargate memory size for cpu ${p.cpu} (${allowed.join(', ')})`, p.memory);
  const min = p.minCount ?? p.desiredCount;
  const max = p.maxCount ?? (p.desiredCount === 0 ? 0 : Math.max(p.desiredCount * 3, 2));
  if (!(min <= p.desiredCount && p.desiredCount <= max)) refuse(n, 'desiredCount', `must be within minCount..maxCount (${min}..${max})`, p.desiredCount);
  if (p.subnetIds.length === 0) refuse(n, 'subnetIds', 'must name at least one private subnet', p.subnetIds);
  const retention = p.logRetentionDays ?? 30;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) refuse(n, 'logRetentionDays', `must be a CloudWatch Logs retention value (${LOG_RETENTION_DAYS.join(', ')})`, retention);
  for (const s of p.taskRolePolicyStatements ?? []) {
    if (s.resources.includes('*')) refuse(n, 'taskRolePolicyStatements', "must scope every statement to resources (no '*'); add a specific ARN", s);
  }
  const seen = new Set(Object.keys(p.environment ?? {}));
  (p.secrets ?? []).forEach((secret, i) => {
    const prop = `secrets[${i}]`;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(secret.name)) refuse(n, `${prop}.name`, 'must be an environment variable name (letters, digits, _)', secret.name);
    if (DATABASE_VARIABLES.includes(secret.name)) refuse(n, `${prop}.name`, `must not be one the stack sets from the database (${DATABASE_VARIABLES.join(', ')})`, secret.name);
    if (seen.has(secret.name)) refuse(n, `${prop}.name`, 'must not repeat an environment variable or another secret', secret.name);
    seen.add(secret.name);
    if (!Token.isUnresolved(secret.secretArn) && !SECRET_ARN.test(secret.secretArn)) refuse(n, `${prop}.secretArn`, 'must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)', secret.secretArn);
    if (secret.jsonKey !== undefined && !/^[A-Za-z0-9_.-]+$/.test(secret.jsonKey)) refuse(n, `${prop}.jsonKey`, 'must be a JSON key of letters, digits, _ . -', secret.jsonKey);
  });
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/** `arn:aws:ecr:<region>:<account>:repository/<name>` for a private ECR image, undefined for any other registry. */
export function ecrRepositoryArn(image: string): string | undefined {
  const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)/.exec(image);
  return m ? `arn:aws:ecr:${m[2]}:${m[1]}:repository/${m[3]}` : undefined;
}

/**
 * One colour of the application: a Fargate service behind that colour's target group.
 *
 * - Task definition: one container (`app`), image with an explicit tag, read-only root filesystem with writable
 *   scratch volumes, environment from props plus the colour database's DB_HOST/DB_PORT/DB_NAME, and
 *   DB_USERNAME/DB_PASSWORD injected by ECS from Secrets Manager (`secrets`, never plain values); awslogs to a
 *   per-colour log group with retention and no KMS key.
 * - IAM: an execution role (read this colour's secret, decrypt its key via Secrets Manager only, pull the image,
 *   write this log group) and a separate task role holding only `taskRolePolicyStatements`; both trust
 *   `ecs-tasks.amazonaws.com` from this account only.
 * - Service: private subnets, no public IP, rolling deployment with the circuit breaker (rollback on) and
 *   deployment alarms (rollback on); `desired_count` is ignored after creation because autoscaling owns it.
 * - CPU target-tracking autoscaling between minCount and maxCount.
 * - Its own security group: in from the ALB's security group on the container port only; out to HTTPS
 *   (image pulls, Secrets Manager, CloudWatch through NAT: no VPC endpoints) and to the database on its port.
 */
export class ColourService extends Construct {
  public readonly colour: Colour;
  /** The name of the service this colour belongs to; undefined for the service with unqualified names. */
  public readonly owner?: string;
  public readonly serviceName: string;
  /**
   * The service name as a plain string, not a Terraform reference: for alarms the service names as its
   * deployment alarms (a reference there would be a dependency cycle).
   */
  public readonly serviceNameLiteral: string;
  public readonly serviceId: string;
  public readonly taskDefinitionArn: string;
  public readonly taskDefinitionFamily: string;
  public readonly securityGroupId: string;
  public readonly executionRoleArn: string;
  public readonly executionRoleName: string;
  public readonly taskRoleArn: string;
  public readonly taskRoleName: string;
  public readonly logGroupName: string;
  public readonly logGroupArn: string;
  /** The ECS service resource (for ordering, e.g. after its deployment alarms). */
  public readonly service: EcsService;

  constructor(scope: Construct, id: string, props: ColourServiceProps) {
    super(scope, id);
    validate(props);
    const { naming, colour } = props;
    this.colour = colour;
    this.owner = props.service;
    const dbPort = props.database.port ?? 5432;
    // `blue`, or `payments-blue` for a named service: the part of every resource type that says whose it is.
    const q = props.service === undefined ? colour : `${props.service}-${colour}`;
    // How descriptions name it: `blue`, or `payments blue`.
    const label = props.service === undefined ? colour : `${props.service} ${colour}`;

    // --- Logs: retention set, default encryption (never a kms_key_id on a log group).
    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: naming.name(`ecs-logs-${q}`),
      retentionInDays: props.logRetentionDays ?? 30,
    });
    this.logGroupName = logGroup.name;
    this.logGroupArn = logGroup.arn;

    // --- IAM.
    const trust = policyDocument([
      {
        Effect: 'Allow',
        Principal: { Service: 'ecs-tasks.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': props.accountId },
          ArnLike: { 'aws:SourceArn': `arn:aws:ecs:${props.region}:${props.accountId}:*` },
        },
      },
    ]);
    const executionRole = new IamRole(this, 'execution-role', {
      name: naming.name(`ecs-execution-${q}`),
      description: `ECS ${label}: start tasks (pull image, read the ${label} database secret, write logs)`,
      assumeRolePolicy: trust,
    });
    const executionStatements: Record<string, unknown>[] = [
      { Sid: 'WriteLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logGroup.arn}:*` },
      { Sid: 'ReadDatabaseSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: props.database.secretArn },
      {
        Sid: 'DecryptDatabaseSecret',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: props.database.secretKmsKeyArn,
        Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com` } },
      },
    ];
    const secrets = props.secrets ?? [];
    if (secrets.length > 0) {
      executionStatements.push({ Sid: 'ReadSecrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: unique(secrets.map((s) => s.secretArn)) });
      const keys = unique(secrets.flatMap((s) => (s.kmsKeyArn ? [s.kmsKeyArn] : [])));
      if (keys.length > 0) {
        executionStatements.push({
          Sid: 'DecryptSecrets',
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: keys,
          Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com` } },
        });
      }
    }
    const repository = ecrRepositoryArn(props.image);
    if (repository) {
      // ecr:GetAuthorizationToken has no resource-level permissions: AWS only accepts "*" for it.
      executionStatements.push({ Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' });
      executionStatements.push({
        Sid: 'PullImage',
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        Resource: repository,
      });
    }
    new IamRolePolicy(this, 'execution-policy', {
      name: naming.name(`ecs-execution-${q}`),
      role: executionRole.id,
      policy: policyDocument(executionStatements),
    });
    this.executionRoleArn = executionRole.arn;
    this.executionRoleName = executionRole.name;

    const taskRole = new IamRole(this, 'task-role', {
      name: naming.name(`ecs-task-${q}`),
      description: `ECS ${label}: what the application itself may do (from config only)`,
      assumeRolePolicy: trust,
    });
    const grants = props.taskRolePolicyStatements ?? [];
    if (grants.length > 0) {
      new IamRolePolicy(this, 'task-policy', {
        name: naming.name(`ecs-task-${q}`),
        role: taskRole.id,
        policy: policyDocument(grants.map((s, i) => ({ Sid: `Granted${i}`, Effect: 'Allow', Action: [...s.actions], Resource: [...s.resources] }))),
      });
    }
    this.taskRoleArn = taskRole.arn;
    this.taskRoleName = taskRole.name;

    // --- Security group.
    const sg = new SecurityGroup(this, 'security-group', {
      name: naming.name(`ecs-${q}-sg`),
      description: `ECS ${label} tasks: in from the ALB on the container port; out to HTTPS and the ${label} tasks' database`,
      vpcId: props.vpcId,
      tags: { Name: naming.name(`ecs-${q}-sg`) },
      lifecycle: { createBeforeDestroy: true },
    });
    this.securityGroupId = sg.id;
    new VpcSecurityGroupIngressRule(this, 'ingress-alb', {
      securityGroupId: sg.id,
      referencedSecurityGroupId: props.loadBalancerSecurityGroupId,
      ipProtocol: 'tcp',
      fromPort: props.containerPort,
      toPort: props.containerPort,
      description: 'Application traffic from the ALB',
    });
    new VpcSecurityGroupEgressRule(this, 'egress-https', {
      securityGroupId: sg.id,
      cidrIpv4: '0.0.0.0/0',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description: 'HTTPS to AWS APIs (ECR, Secrets Manager, CloudWatch) through NAT: no VPC endpoints',
    });
    new VpcSecurityGroupEgressRule(this, 'egress-database', {
      securityGroupId: sg.id,
      referencedSecurityGroupId: props.database.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: dbPort,
      toPort: dbPort,
      description: 'PostgreSQL to this colour database',
    });

    // --- Task definition.
    const writable = props.writablePaths ?? ['/tmp'];
    const environment: Record<string, string> = {
      ...(props.environment ?? {}),
      DB_HOST: props.database.host,
      DB_PORT: String(dbPort),
      DB_NAME: props.database.name,
    };
    const container = {
      name: CONTAINER_NAME,
      image: props.image,
      essential: true,
      readonlyRootFilesystem: true,
      portMappings: [{ containerPort: props.containerPort, protocol: 'tcp' }],
      environment: Object.entries(environment)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => ({ name, value })),
      secrets: [
        { name: 'DB_USERNAME', valueFrom: `${props.database.secretArn}:username::` },
        { name: 'DB_PASSWORD', valueFrom: `${props.database.secretArn}:password::` },
        ...secrets.map((s) => ({ name: s.name, valueFrom: s.jsonKey === undefined ? s.secretArn : `${s.secretArn}:${s.jsonKey}::` })),
      ],
      mountPoints: writable.map((containerPath, i) => ({ sourceVolume: `scratch-${i}`, containerPath, readOnly: false })),
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': logGroup.name, 'awslogs-region': props.region, 'awslogs-stream-prefix': colour },
      },
    };
    const taskDefinition = new EcsTaskDefinition(this, 'task-definition', {
      family: naming.name(`task-${q}`),
      cpu: String(props.cpu),
      memory: String(props.memory),
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
      executionRoleArn: executionRole.arn,
      taskRoleArn: taskRole.arn,
      volume: writable.map((_, i) => ({ name: `scratch-${i}` })),
      // Fn.jsonencode: the definitions hold references (log group, database endpoint, secret ARN).
      containerDefinitions: Fn.jsonencode([container]),
    });
    this.taskDefinitionArn = taskDefinition.arn;
    this.taskDefinitionFamily = taskDefinition.family;

    // --- Service.
    const alarmNames = [...(props.deploymentAlarmNames ?? [])];
    this.serviceNameLiteral = naming.name(`service-${q}`);
    this.service = new EcsService(this, 'service', {
      name: this.serviceNameLiteral,
      cluster: props.clusterArn,
      taskDefinition: taskDefinition.arn,
      desiredCount: props.desiredCount,
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      networkConfiguration: { subnets: [...props.subnetIds], securityGroups: [sg.id], assignPublicIp: false },
      loadBalancer: [{ targetGroupArn: props.targetGroupArn, containerName: CONTAINER_NAME, containerPort: props.containerPort }],
      healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSeconds ?? 60,
      deploymentController: { type: 'ECS' },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      ...(alarmNames.length > 0 ? { alarms: { alarmNames, enable: true, rollback: true } } : {}),
      propagateTags: 'SERVICE',
      enableEcsManagedTags: true,
      enableExecuteCommand: false,
      waitForSteadyState: false,
      // Autoscaling owns the running count after creation; applying a weight change must not reset it.
      lifecycle: { ignoreChanges: ['desired_count'] },
      dependsOn: [...(props.dependsOn ?? [])],
    });
    this.serviceName = this.service.name;
    this.serviceId = this.service.id;

    // --- Autoscaling: CPU target tracking.
    const min = props.minCount ?? props.desiredCount;
    const max = props.maxCount ?? (props.desiredCount === 0 ? 0 : Math.max(props.desiredCount * 3, 2));
    const target = new AppautoscalingTarget(this, 'scaling-target', {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${props.clusterName}/${this.service.name}`,
      minCapacity: min,
      maxCapacity: max,
    });
    new AppautoscalingPolicy(this, 'cpu-scaling', {
      name: naming.name(`cpu-scaling-${q}`),
      policyType: 'TargetTrackingScaling',
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: props.cpuTargetPercent ?? 60,
        predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        scaleInCooldown: 300,
        scaleOutCooldown: 60,
      },
    });
  }

  /** Orders the service after other resources (e.g. the alarms named in deploymentAlarmNames). */
  addDependency(...resources: ITerraformDependable[]): void {
    this.service.dependsOn = [...(this.service.dependsOn ?? []), ...resources.map((r) => dependable(r))];
  }
}
