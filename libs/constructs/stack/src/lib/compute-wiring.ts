/**
 * Steps `compute` and `monitoring` of BlueGreenStack: the config → props mapping of BlueGreenCompute and
 * BlueGreenMonitoring, the wiring between them and the databases, and their outputs. Kept beside the stack so the
 * stack itself only calls three functions.
 */
import { scalingBounds, type Colour, type EnvironmentConfig, type Naming } from '@bluegreen/config';
import type { AuroraPostgresCluster } from '@bluegreen/database';
import { BlueGreenCompute, type ColourDatabase, type ColourSettings } from '@bluegreen/ecs';
import { BlueGreenMonitoring, deploymentAlarmNames } from '@bluegreen/monitoring';
import type { Network } from '@bluegreen/network';
import { TerraformOutput, type TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';

export interface ComputeWiring {
  readonly config: EnvironmentConfig;
  readonly naming: Naming;
  readonly network: Network;
  /** The clusters by colour; green only when `database.green.enabled`. */
  readonly databases: { readonly blue: AuroraPostgresCluster; readonly green?: AuroraPostgresCluster };
}

/** The cluster a colour's tasks use: `compute.<colour>.database` (blue by default; config refuses green when disabled). */
function databaseOf(w: ComputeWiring, colour: Colour): AuroraPostgresCluster {
  const assigned = w.config.compute[colour].database;
  const db = assigned === 'green' ? w.databases.green : w.databases.blue;
  if (!db) throw new Error(`compute.${colour}.database: is 'green' but the stack has no green cluster (database.green.enabled is false)`);
  return db;
}

function asColourDatabase(db: AuroraPostgresCluster): ColourDatabase {
  return {
    host: db.endpoint,
    port: db.port,
    name: db.databaseName,
    secretArn: db.masterSecretArn,
    secretKmsKeyArn: db.secretKmsKeyArn,
    securityGroupId: db.securityGroupId,
  };
}

/**
 * Step `compute`: the cluster, ALB and both services from config; each colour's database admits that colour's
 * task security group (and only it) on PostgreSQL.
 */
export function buildCompute(scope: Construct, id: 'compute', w: ComputeWiring): BlueGreenCompute {
  const { config, naming, network } = w;
  const c = config.compute;
  const lb = config.loadBalancer;
  const colour = (name: Colour): ColourSettings => {
    const s = c[name];
    const { min, max } = scalingBounds(s);
    return {
      image: s.image,
      cpu: s.cpu,
      memory: s.memory,
      desiredCount: s.desiredCount,
      minCount: min,
      maxCount: max,
      environment: s.environment,
      writablePaths: s.writablePaths,
      taskRolePolicyStatements: s.taskRolePolicyStatements,
      database: asColourDatabase(databaseOf(w, name)),
      deploymentAlarmNames: deploymentAlarmNames(naming, name),
    };
  };
  const compute = new BlueGreenCompute(scope, id, {
    naming,
    region: config.region,
    accountId: config.accountId,
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
    containerPort: c.containerPort,
    logRetentionDays: c.logRetentionDays,
    cpuTargetPercent: c.cpuTargetPercent,
    healthCheckGracePeriodSeconds: c.healthCheckGracePeriodSeconds,
    deregistrationDelaySeconds: c.deregistrationDelaySeconds,
    healthCheck: c.healthCheck,
    loadBalancer: {
      certificate: lb.certificate,
      sslPolicy: lb.sslPolicy,
      ingressCidrs: lb.ingressCidrs,
      testListenerPort: lb.testListenerPort,
      testListenerCidrs: lb.testListenerCidrs,
      deletionProtection: lb.deletionProtection,
      accessLogRetentionDays: lb.accessLogRetentionDays,
    },
    weights: { blue: config.traffic.blue, green: config.traffic.green },
    stickinessSeconds: config.traffic.stickinessSeconds,
    liveColour: config.traffic.live,
    blue: colour('blue'),
    green: colour('green'),
  });
  for (const name of ['blue', 'green'] as const) {
    databaseOf(w, name).allowFrom(`ecs-${name}`, compute.service(name).securityGroupId, `ECS ${name} tasks (compute.${name}.database)`);
  }
  return compute;
}

/**
 * Step `monitoring`: alarms for both colours and every cluster, the topic and the dashboard. Each service is
 * ordered after its deployment alarms (it names them; they watch it by name, so there is no cycle).
 */
export function buildMonitoring(
  scope: Construct,
  id: 'monitoring',
  w: ComputeWiring & { readonly compute: BlueGreenCompute; readonly eventRuleNames?: readonly string[] },
): BlueGreenMonitoring {
  const { config, naming, compute } = w;
  const targets = (colour: Colour) => ({
    clusterName: compute.clusterNameLiteral,
    serviceName: compute.service(colour).serviceNameLiteral,
    targetGroupArnSuffix: compute.loadBalancer.targetGroups[colour].arnSuffix,
  });
  const monitoring = new BlueGreenMonitoring(scope, id, {
    naming,
    region: config.region,
    accountId: config.accountId,
    loadBalancerArnSuffix: compute.loadBalancer.albArnSuffix,
    blue: targets('blue'),
    green: targets('green'),
    databases: { blue: w.databases.blue.clusterIdentifier, ...(w.databases.green ? { green: w.databases.green.clusterIdentifier } : {}) },
    alarmEmails: config.monitoring.alarmEmails,
    periodSeconds: config.monitoring.periodSeconds,
    evaluationPeriods: config.monitoring.evaluationPeriods,
    thresholds: config.monitoring.thresholds,
    eventRuleNames: w.eventRuleNames,
  });
  for (const colour of ['blue', 'green'] as const) compute.service(colour).addDependency(...monitoring.deploymentAlarmsFor(colour));
  return monitoring;
}

/** The compute and monitoring outputs of the COMMON.md contract (names fixed with `staticId`). */
export function addComputeOutputs(stack: TerraformStack, compute: BlueGreenCompute, monitoring: BlueGreenMonitoring): void {
  const out = (name: string, value: string, description: string) => new TerraformOutput(stack, name, { value, description, staticId: true });
  const lb = compute.loadBalancer;
  out('https_listener_arn', lb.httpsListenerArn, 'HTTPS listener whose default action is the weighted blue/green forward');
  out('test_listener_arn', lb.testListenerArn, `Test listener (forwards to the colour about to receive traffic: ${compute.testColour})`);
  out('alb_arn', lb.albArn, 'The application load balancer');
  out('alb_arn_suffix', lb.albArnSuffix, 'LoadBalancer dimension of ALB metrics');
  out('alb_dns_name', lb.albDnsName, 'DNS name of the load balancer');
  for (const colour of ['blue', 'green'] as const) {
    out(`${colour}_target_group_arn`, lb.targetGroups[colour].arn, `Target group of the ${colour} service`);
    out(`${colour}_target_group_arn_suffix`, lb.targetGroups[colour].arnSuffix, `TargetGroup dimension of the ${colour} metrics`);
    out(`${colour}_service_name`, compute.service(colour).serviceName, `ECS service of the ${colour} colour`);
  }
  out('ecs_cluster_name', compute.clusterName, 'The ECS cluster');
  out('alarm_topic_arn', monitoring.topicArn, 'SNS topic every alarm notifies');
}
