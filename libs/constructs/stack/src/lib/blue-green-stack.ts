import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { defaultTags, Naming, requiresLogicalReplication, validateEnvironmentConfig, type EnvironmentConfig } from '@bluegreen/config';
import { AuroraPostgresCluster } from '@bluegreen/database';
import { Network } from '@bluegreen/network';
import type { BlueGreenCompute } from '@bluegreen/ecs';
import type { BlueGreenMonitoring } from '@bluegreen/monitoring';
import { BlueGreenGuardrails } from '@bluegreen/guardrails';
import { dmsTaskFailedRuleName, type DmsMigration } from '@bluegreen/migration';
import type { LegacyCutoverDns } from '@bluegreen/dns';
import type { SchemaValidatorFunction } from '@bluegreen/validation';
import { resolve } from 'node:path';
import { addComputeOutputs, buildCompute, buildMonitoring, servicesFromConfig, type WiredService } from './compute-wiring';
import { addOperatorPolicy } from './operator-policy';
import { addContractOutput } from './contract-output';
import { buildDns, buildMigration, buildValidation } from './operations-wiring';
import type { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { Aspects, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';

export interface BlueGreenStackProps {
  /** The environment's validated config (`loadEnvironmentConfig(file)`); validated again here before any construct. */
  readonly config: EnvironmentConfig;
  /**
   * The built schema-validator Lambda bundle (`npx nx build schema-validator`); zipped into the function's code.
   * @default - `dist/apps/schema-validator` of this repository
   */
  readonly validatorBundleDir?: string;
  /** Where relative file settings of the config (e.g. `migration.source.certificate.pemFile`) resolve from. @default - process.cwd() */
  readonly configDir?: string;
  /**
   * The services behind the load balancer (exactly one the default route).
   * @default - `servicesFromConfig(config)`: every service of `config.services`, in config order
   */
  readonly services?: readonly WiredService[];
}

/** The default location of the schema-validator bundle: `<repo>/dist/apps/schema-validator`. */
export const DEFAULT_VALIDATOR_BUNDLE_DIR = resolve(__dirname, '..', '..', '..', '..', '..', 'dist', 'apps', 'schema-validator');

/**
 * The one stack every environment builds from its config. Composition happens in separate, ordered steps;
 * each step adds one top-level construct whose id is a Terraform address (treat it as API):
 *
 * 1. provider + remote state   (`aws` provider with default tags, S3 backend with lock file)
 * 2. `network`                 VPC, subnets, NAT, flow logs
 * 3. `database`                Aurora PostgreSQL, blue (always)
 * 4. `database-green`          Aurora PostgreSQL, green (when `database.green.enabled`)
 * 5. outputs                   the contract other tools read (names fixed with `staticId`)
 * 6. `compute`, `monitoring`   ALB + per service blue/green ECS services, alarms + topic + dashboard
 *                              (./compute-wiring.ts), with their flat outputs
 * 7. `validation`              the schema-validator Lambda, admitted to both clusters (./operations-wiring.ts)
 * 8. `migration`, `dns`        AWS DMS and the Route 53 legacy cutover, each only when its config section is enabled
 * 9. contract output           `bluegreen`: the structured StackContract the command line reads (./contract-output.ts)
 * 10. guardrails               the BlueGreenGuardrails aspect: synth fails on any violation (docs/guardrails.md)
 */
export class BlueGreenStack extends TerraformStack {
  public readonly config: EnvironmentConfig;
  public readonly naming: Naming;
  public readonly provider: AwsProvider;
  public readonly network: Network;
  /** The blue (current) cluster. */
  public readonly database: AuroraPostgresCluster;
  /** The green cluster, target of a database migration; undefined unless `database.green.enabled`. */
  public readonly databaseGreen?: AuroraPostgresCluster;
  /** The ALB and, per service, its weighted blue/green forward and two ECS services. */
  public readonly compute: BlueGreenCompute;
  /** Alarms of both colours and every cluster, their topic and the dashboard. */
  public readonly monitoring: BlueGreenMonitoring;
  /** The Lambda that checks schema compatibility before traffic moves. */
  public readonly validator: SchemaValidatorFunction;
  /** AWS DMS full load + CDC; undefined unless `migration.enabled`. */
  public readonly migration?: DmsMigration;
  /** Route 53 weighted records from the legacy endpoint; undefined unless `dns.enabled`. */
  public readonly dns?: LegacyCutoverDns;
  /** The managed policy with exactly the command line's IAM actions on this environment (attach it to operators). */
  public readonly operatorPolicy: IamPolicy;

  constructor(scope: Construct, id: string, props: BlueGreenStackProps) {
    // Refuse a bad config before any construct (this stack included) exists.
    const config = validateEnvironmentConfig(props.config, `stack ${id}`);
    super(scope, id);
    this.config = config;
    this.naming = new Naming(config.environmentSuffix);

    this.provider = this.configureProviderAndState();
    this.network = this.buildNetwork();
    this.database = this.buildDatabase('database', 'blue');
    if (config.database.green.enabled) this.databaseGreen = this.buildDatabase('database-green', 'green');
    this.addOutputs();
    const wiring = { config, naming: this.naming, network: this.network, databases: { blue: this.database, green: this.databaseGreen } };
    const services = props.services ?? servicesFromConfig(config, this.naming);
    this.compute = buildCompute(this, 'compute', { ...wiring, services });
    const migrating = config.migration.enabled;
    this.monitoring = buildMonitoring(this, 'monitoring', {
      ...wiring,
      compute: this.compute,
      services,
      eventRuleNames: migrating ? [dmsTaskFailedRuleName(this.naming)] : [],
    });
    addComputeOutputs(this, this.compute, this.monitoring);

    const operations = { ...wiring, configDir: props.configDir ?? process.cwd() };
    this.validator = buildValidation(this, { ...operations, bundleDir: props.validatorBundleDir ?? DEFAULT_VALIDATOR_BUNDLE_DIR });
    this.migration = buildMigration(this, { ...operations, alarmTopicArn: this.monitoring.topicArn });
    this.dns = buildDns(this, { ...operations, compute: this.compute });
    this.operatorPolicy = addOperatorPolicy(this, { config, naming: this.naming, compute: this.compute, validator: this.validator, migration: this.migration });
    addContractOutput(this, {
      config,
      compute: this.compute,
      monitoring: this.monitoring,
      databases: wiring.databases,
      validator: this.validator,
      migration: this.migration,
      operatorPolicyArn: this.operatorPolicy.arn,
    });

    Aspects.of(this).add(
      new BlueGreenGuardrails({
        environmentSuffix: config.environmentSuffix,
        databaseDeletionProtection: config.database.deletionProtection,
        loadBalancerDeletionProtection: config.loadBalancer.deletionProtection,
      }),
    );
  }

  /** Step 1: the AWS provider (region and cost tags from config) and S3 remote state with Terraform's lock file. */
  private configureProviderAndState(): AwsProvider {
    const { config } = this;
    const provider = new AwsProvider(this, 'aws', {
      region: config.region,
      allowedAccountIds: [config.accountId],
      defaultTags: [{ tags: defaultTags(config) }],
    });
    new S3Backend(this, {
      bucket: config.state.bucket,
      key: config.state.key ?? `${config.environment}/terraform.tfstate`,
      region: config.region,
      encrypt: true,
      kmsKeyId: config.state.kmsKeyId,
    });
    // CDKTF 0.21 predates the S3 backend's native lock file (Terraform 1.10+); no DynamoDB table needed.
    this.addOverride('terraform.backend.s3.use_lockfile', true);
    return provider;
  }

  /** Step 2: the VPC. */
  private buildNetwork(): Network {
    const { config } = this;
    return new Network(this, 'network', {
      naming: this.naming,
      accountId: config.accountId,
      availabilityZones: config.availabilityZones,
      vpcCidr: config.network.vpcCidr,
      publicSubnetCidrs: config.network.publicSubnetCidrs,
      privateSubnetCidrs: config.network.privateSubnetCidrs,
      isolatedSubnetCidrs: config.network.isolatedSubnetCidrs,
      natGateways: config.network.natGateways,
      flowLogRetentionDays: config.network.flowLogRetentionDays,
    });
  }

  /** Steps 3 and 4: an Aurora cluster in the isolated subnets; the green one takes its shape from `database.green`. */
  private buildDatabase(id: 'database' | 'database-green', colour: 'blue' | 'green'): AuroraPostgresCluster {
    const db = this.config.database;
    const shape = colour === 'blue' ? db : db.green;
    return new AuroraPostgresCluster(this, id, {
      naming: this.naming,
      colour,
      vpcId: this.network.vpcId,
      subnetIds: this.network.isolatedSubnetIds,
      availabilityZones: this.config.availabilityZones,
      engineVersion: shape.engineVersion,
      instanceClass: shape.instanceClass,
      readers: shape.readers,
      databaseName: db.databaseName,
      masterUsername: db.masterUsername,
      backupRetentionDays: db.backupRetentionDays,
      preferredBackupWindow: db.preferredBackupWindow,
      preferredMaintenanceWindow: db.preferredMaintenanceWindow,
      deletionProtection: db.deletionProtection,
      monitoringIntervalSeconds: db.monitoringIntervalSeconds,
      performanceInsightsRetentionDays: db.performanceInsightsRetentionDays,
      logRetentionDays: db.logRetentionDays,
      // A DMS task reading changes from a cluster (blue as the forward source, the target as the reverse source)
      // needs logical decoding there.
      logicalReplication: requiresLogicalReplication(this.config.migration, colour),
    });
  }

  /** Step 5: outputs with fixed names (the stack contract of @bluegreen/contract). Never a sensitive value. */
  private addOutputs(): void {
    const out = (name: string, value: string, description: string) => new TerraformOutput(this, name, { value, description, staticId: true });
    out('vpc_id', this.network.vpcId, 'The VPC');
    const clusters: [string, AuroraPostgresCluster | undefined][] = [
      ['blue', this.database],
      ['green', this.databaseGreen],
    ];
    for (const [colour, cluster] of clusters) {
      if (!cluster) continue;
      out(`${colour}_db_cluster_id`, cluster.clusterIdentifier, `Aurora ${colour} cluster identifier`);
      out(`${colour}_db_cluster_endpoint`, cluster.endpoint, `Aurora ${colour} writer endpoint`);
      out(`${colour}_db_secret_arn`, cluster.masterSecretArn, `ARN of the RDS-managed master secret of the ${colour} cluster (the ARN, not the secret)`);
    }
  }
}
