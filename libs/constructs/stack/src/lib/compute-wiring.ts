/**
 * Steps `compute` and `monitoring` of BlueGreenStack: the config → props mapping of BlueGreenCompute and
 * BlueGreenMonitoring for every service of the environment, the wiring between them and the databases, and their
 * flat outputs. Kept beside the stack so the stack itself only calls a few functions.
 */
import { scalingBounds, type Colour, type ColourConfig, type EnvironmentConfig, type Naming, type ServiceConfig } from '@bluegreen/config';
import type { AuroraPostgresCluster } from '@bluegreen/database';
import { BlueGreenCompute, type ColourDatabase, type ColourSettings, type ServiceSettings } from '@bluegreen/ecs';
import { BlueGreenMonitoring, deploymentAlarmNames, type ServiceAlarmThresholds } from '@bluegreen/monitoring';
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

/**
 * The name the repository's environments give the service they described before they listed several (`compute`,
 * `traffic`): with `unqualifiedNames` it keeps those resource names and addresses; only new resources (its image
 * repository, `ecr-monolith-<suffix>`) carry the name.
 */
export const SINGLE_SERVICE_NAME = 'monolith';

/** A colour's settings before the stack has its database cluster. */
export type ColourWithoutDatabase = Omit<ColourSettings, 'database'>;

/** A service as the stack wires it: the construct settings, plus what only the stack knows (databases, config paths). */
export interface WiredService {
  readonly settings: Omit<ServiceSettings, 'blue' | 'green'> & { readonly blue: ColourWithoutDatabase; readonly green: ColourWithoutDatabase };
  /** Which cluster each colour's tasks use. */
  readonly databases: Readonly<Record<Colour, 'blue' | 'green'>>;
  /** Where each colour's `database` setting lives in the config (for errors). */
  readonly configPath: Readonly<Record<Colour, string>>;
  /** The service's own alarm thresholds, where they differ from `monitoring.thresholds`. */
  readonly thresholds?: ServiceAlarmThresholds;
}

/** The construct's routing from the config's: the default action, or a rule with its conditions and priority. */
function routingOf(name: string, r: ServiceConfig['routing']): ServiceSettings['routing'] {
  if (r.default) return { default: true };
  // Config refuses a rule without a priority; the construct would refuse it again, by its prop path.
  if (r.priority === undefined) throw new Error(`services.${name}.routing.priority: is required for a service that is not the default`);
  return { pathPatterns: r.pathPatterns, hostHeaders: r.hostHeaders, priority: r.priority };
}

/** Only the thresholds the service sets itself (the rest stay the environment's `monitoring.thresholds`). */
function thresholdsOf(t: ServiceConfig['thresholds']): ServiceAlarmThresholds | undefined {
  if (!t) return undefined;
  const set = Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined));
  return Object.keys(set).length > 0 ? (set as ServiceAlarmThresholds) : undefined;
}

/**
 * The environment's services from config (`services.<name>`), in config order: each becomes a blue/green pair with
 * its routing, weights, alarms and repository. A service with `unqualifiedNames` keeps the names and addresses the
 * environment had with one service, so a deployed environment keeps every ECS service, target group and alarm.
 */
export function servicesFromConfig(config: EnvironmentConfig, naming: Naming): WiredService[] {
  return Object.entries(config.services).map(([name, c]): WiredService => {
    const service = { name, unqualifiedNames: c.unqualifiedNames };
    const colour = (colour: Colour, s: ColourConfig): ColourWithoutDatabase => {
      const { min, max } = scalingBounds(s);
      return {
        image: s.image,
        cpu: s.cpu,
        memory: s.memory,
        desiredCount: s.desiredCount,
        minCount: min,
        maxCount: max,
        environment: s.environment,
        secrets: s.secrets,
        writablePaths: s.writablePaths,
        taskRolePolicyStatements: s.taskRolePolicyStatements,
        deploymentAlarmNames: deploymentAlarmNames(naming, service, colour),
      };
    };
    const thresholds = thresholdsOf(c.thresholds);
    return {
      settings: {
        ...service,
        routing: routingOf(name, c.routing),
        containerPort: c.containerPort,
        healthCheck: c.healthCheck,
        deregistrationDelaySeconds: c.deregistrationDelaySeconds,
        healthCheckGracePeriodSeconds: c.healthCheckGracePeriodSeconds,
        cpuTargetPercent: c.cpuTargetPercent,
        logRetentionDays: c.logRetentionDays,
        weights: { blue: c.traffic.blue, green: c.traffic.green },
        stickinessSeconds: c.traffic.stickinessSeconds,
        liveColour: c.traffic.live,
        blue: colour('blue', c.blue),
        green: colour('green', c.green),
      },
      databases: { blue: c.blue.database, green: c.green.database },
      configPath: { blue: `services.${name}.blue.database`, green: `services.${name}.green.database` },
      ...(thresholds ? { thresholds } : {}),
    };
  });
}

/** The cluster a colour of a service uses (blue by default; config refuses green when disabled). */
function databaseOf(w: ComputeWiring, service: WiredService, colour: Colour): AuroraPostgresCluster {
  const assigned = service.databases[colour];
  const db = assigned === 'green' ? w.databases.green : w.databases.blue;
  if (!db) throw new Error(`${service.configPath[colour]}: is 'green' but the stack has no green cluster (database.green.enabled is false)`);
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
 * Step `compute`: the cluster, ALB and every service from config; each colour's database admits that colour's task
 * security group (and only it) on PostgreSQL.
 */
export function buildCompute(scope: Construct, id: 'compute', w: ComputeWiring & { readonly services: readonly WiredService[] }): BlueGreenCompute {
  const { config, naming, network } = w;
  const lb = config.loadBalancer;
  const services = w.services.map(
    (s): ServiceSettings => ({
      ...s.settings,
      blue: { ...s.settings.blue, database: asColourDatabase(databaseOf(w, s, 'blue')) },
      green: { ...s.settings.green, database: asColourDatabase(databaseOf(w, s, 'green')) },
    }),
  );
  const compute = new BlueGreenCompute(scope, id, {
    naming,
    region: config.region,
    accountId: config.accountId,
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
    loadBalancer: {
      certificate: lb.certificate,
      sslPolicy: lb.sslPolicy,
      ingressCidrs: lb.ingressCidrs,
      testListenerPort: lb.testListenerPort,
      testListenerCidrs: lb.testListenerCidrs,
      deletionProtection: lb.deletionProtection,
      accessLogRetentionDays: lb.accessLogRetentionDays,
    },
    services,
    // An environment that protects its database from deletion keeps its images too.
    repositoryForceDelete: !config.database.deletionProtection,
  });
  for (const s of w.services) {
    const unqualified = s.settings.unqualifiedNames === true;
    for (const colour of ['blue', 'green'] as const) {
      const who = unqualified ? colour : `${s.settings.name}-${colour}`;
      const label = unqualified ? colour : `${s.settings.name} ${colour}`;
      // The service keeping the single-service names keeps its rules' descriptions too (as deployed, naming where the
      // setting lived then): a new description would be an update of a rule that did not change.
      const description = unqualified ? `ECS ${colour} tasks (compute.${colour}.database)` : `ECS ${label} tasks (${s.configPath[colour]})`;
      databaseOf(w, s, colour).allowFrom(`ecs-${who}`, compute.service(s.settings.name).service(colour).securityGroupId, description);
    }
  }
  return compute;
}

/**
 * Step `monitoring`: alarms for both colours of every service and every cluster, the topic and the dashboard. Each
 * ECS service is ordered after its deployment alarms (it names them; they watch it by name, so there is no cycle).
 */
export function buildMonitoring(
  scope: Construct,
  id: 'monitoring',
  w: ComputeWiring & { readonly compute: BlueGreenCompute; readonly services: readonly WiredService[]; readonly eventRuleNames?: readonly string[] },
): BlueGreenMonitoring {
  const { config, naming, compute } = w;
  const monitoring = new BlueGreenMonitoring(scope, id, {
    naming,
    region: config.region,
    accountId: config.accountId,
    loadBalancerArnSuffix: compute.loadBalancer.albArnSuffix,
    services: w.services.map((s) => {
      const service = compute.service(s.settings.name);
      const targets = (colour: Colour) => ({
        clusterName: compute.clusterNameLiteral,
        serviceName: service.service(colour).serviceNameLiteral,
        targetGroupArnSuffix: service.targetGroups[colour].arnSuffix,
      });
      return { name: s.settings.name, unqualifiedNames: s.settings.unqualifiedNames, blue: targets('blue'), green: targets('green'), thresholds: s.thresholds };
    }),
    databases: { blue: w.databases.blue.clusterIdentifier, ...(w.databases.green ? { green: w.databases.green.clusterIdentifier } : {}) },
    alarmEmails: config.monitoring.alarmEmails,
    periodSeconds: config.monitoring.periodSeconds,
    evaluationPeriods: config.monitoring.evaluationPeriods,
    thresholds: config.monitoring.thresholds,
    eventRuleNames: w.eventRuleNames,
  });
  for (const s of w.services) {
    for (const colour of ['blue', 'green'] as const) {
      compute.service(s.settings.name).service(colour).addDependency(...monitoring.deploymentAlarmsFor(s.settings.name, colour));
    }
  }
  return monitoring;
}

/**
 * The flat compute and monitoring outputs (names fixed with `staticId`), describing the default service. Kept while
 * the operations tools still read them; the structured `bluegreen` output (contract-output.ts) describes every
 * service and supersedes them.
 */
export function addComputeOutputs(stack: TerraformStack, compute: BlueGreenCompute, monitoring: BlueGreenMonitoring): void {
  const out = (name: string, value: string, description: string) => new TerraformOutput(stack, name, { value, description, staticId: true });
  const lb = compute.loadBalancer;
  const main = compute.defaultService;
  out('https_listener_arn', lb.httpsListenerArn, 'HTTPS listener whose default action is the weighted blue/green forward');
  out('test_listener_arn', lb.testListenerArn, `Test listener (forwards to the colour about to receive traffic: ${main.testColour})`);
  out('alb_arn', lb.albArn, 'The application load balancer');
  out('alb_arn_suffix', lb.albArnSuffix, 'LoadBalancer dimension of ALB metrics');
  out('alb_dns_name', lb.albDnsName, 'DNS name of the load balancer');
  for (const colour of ['blue', 'green'] as const) {
    out(`${colour}_target_group_arn`, main.targetGroups[colour].arn, `Target group of the ${colour} service`);
    out(`${colour}_target_group_arn_suffix`, main.targetGroups[colour].arnSuffix, `TargetGroup dimension of the ${colour} metrics`);
    out(`${colour}_service_name`, main.service(colour).serviceName, `ECS service of the ${colour} colour`);
  }
  out('ecs_cluster_name', compute.clusterName, 'The ECS cluster');
  out('alarm_topic_arn', monitoring.topicArn, 'SNS topic every alarm notifies');
}
