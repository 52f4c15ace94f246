/**
 * Steps `validation`, `migration` and `dns` of BlueGreenStack: the schema-validator Lambda (always), AWS DMS
 * (when `migration.enabled`) and the Route 53 legacy cutover (when `dns.enabled`), mapped from config onto their
 * constructs, with the database admissions they need and their outputs.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { EnvironmentConfig, Naming } from '@bluegreen/config';
import type { AuroraPostgresCluster } from '@bluegreen/database';
import { cutoverDnsPropsFromConfig, LegacyCutoverDns } from '@bluegreen/dns';
import type { BlueGreenCompute } from '@bluegreen/ecs';
import { DmsMigration, type AuroraEndpoint, type LegacyPostgresSource } from '@bluegreen/migration';
import type { Network } from '@bluegreen/network';
import { SchemaValidatorFunction, type ValidatorDatabase } from '@bluegreen/validation';
import { TerraformOutput, type TerraformStack } from 'cdktf';

export interface OperationsWiring {
  readonly config: EnvironmentConfig;
  readonly naming: Naming;
  readonly network: Network;
  readonly databases: { readonly blue: AuroraPostgresCluster; readonly green?: AuroraPostgresCluster };
  /** Where relative file settings of the config (a CA certificate's `pemFile`) are resolved from. */
  readonly configDir: string;
}

function validatorDatabase(db: AuroraPostgresCluster): ValidatorDatabase {
  return {
    host: db.endpoint,
    port: db.port,
    databaseName: db.databaseName,
    secretArn: db.masterSecretArn,
    secretKmsKeyArn: db.secretKmsKeyArn,
    securityGroupId: db.securityGroupId,
  };
}

/**
 * Step `validation`: the Lambda that compares the blue and green schemas before traffic moves. Without a green
 * cluster it compares blue with itself (so `validator_function_name` always exists and the gate always has a
 * function to call); each cluster admits the function's security group on PostgreSQL.
 */
export function buildValidation(stack: TerraformStack, w: OperationsWiring & { readonly bundleDir: string }): SchemaValidatorFunction {
  const blue = w.databases.blue;
  const green = w.databases.green ?? blue;
  const validator = new SchemaValidatorFunction(stack, 'validation', {
    naming: w.naming,
    region: w.config.region,
    vpcId: w.network.vpcId,
    subnetIds: w.network.privateSubnetIds,
    bundleDir: w.bundleDir,
    blue: validatorDatabase(blue),
    green: validatorDatabase(green),
    // An event `{ service }` checks that service's schema (and role) as config names them.
    services: Object.fromEntries(Object.entries(w.config.services).map(([name, s]) => [name, { schema: s.databaseSchema, ...(s.databaseRole ? { appRole: s.databaseRole } : {}) }])),
  });
  blue.allowFrom('validator', validator.securityGroupId, 'schema-validator Lambda');
  if (w.databases.green) w.databases.green.allowFrom('validator', validator.securityGroupId, 'schema-validator Lambda');
  new TerraformOutput(stack, 'validator_function_name', {
    value: validator.functionName,
    description: 'Lambda that checks the old application keeps working on the green schema (bluegreen traffic shift gate)',
    staticId: true,
  });
  return validator;
}

function auroraEndpoint(db: AuroraPostgresCluster, colour: 'blue' | 'green', certificateArn?: string): AuroraEndpoint {
  return { kind: 'aurora', colour, port: db.port, databaseName: db.databaseName, securityGroupId: db.securityGroupId, certificateArn };
}

/**
 * Step `migration`: AWS DMS full load + CDC into the target cluster, the reverse task new -> old when
 * `migration.reverse.enabled`, the data verify task when `migration.verifyTask.enabled`; undefined unless
 * `migration.enabled`. Its `contract` is the `migration` section of the stack contract.
 */
export function buildMigration(stack: TerraformStack, w: OperationsWiring & { readonly alarmTopicArn: string }): DmsMigration | undefined {
  const m = w.config.migration;
  if (!m.enabled || !m.source) return undefined;
  const target = m.target === 'green' ? w.databases.green : w.databases.blue;
  if (!target) throw new Error("migration.target: is 'green' but the stack has no green cluster (database.green.enabled is false)");
  let source: LegacyPostgresSource | AuroraEndpoint;
  if (m.source.kind === 'blue') {
    // The reverse task writes back into blue: TLS verify-full against the RDS CA there too.
    source = auroraEndpoint(w.databases.blue, 'blue', m.reverse.enabled ? m.targetCertificateArn : undefined);
  } else {
    const s = m.source;
    const pemFile = s.certificate?.pemFile;
    source = {
      kind: 'legacy',
      port: s.port,
      databaseName: s.databaseName as string,
      secretArn: s.secretArn as string,
      secretKmsKeyArn: s.secretKmsKeyArn,
      allowedCidrs: s.allowedCidrs ?? [],
      ...(pemFile
        ? { certificatePem: readFileSync(isAbsolute(pemFile) ? pemFile : resolve(w.configDir, pemFile), 'utf8') }
        : { certificateArn: s.certificate?.arn }),
    };
  }
  const r = m.replicationInstance;
  const migration = new DmsMigration(stack, 'migration', {
    naming: w.naming,
    region: w.config.region,
    vpcId: w.network.vpcId,
    subnetIds: w.network.privateSubnetIds,
    multiAz: r.multiAz,
    instanceClass: r.instanceClass,
    allocatedStorageGb: r.allocatedStorageGb,
    engineVersion: r.engineVersion,
    kmsKeyArn: r.kmsKeyArn,
    source,
    target: auroraEndpoint(target, m.target, m.targetCertificateArn),
    include: m.include,
    exclude: m.exclude,
    startTask: m.startTask,
    alarmTopicArn: w.alarmTopicArn,
    cdcLatencyAlarmSeconds: m.cdcLatencyAlarmSeconds,
    createServiceRoles: m.createServiceRoles,
    logRetentionDays: m.logRetentionDays,
    ...(m.reverse.enabled
      ? {
          reverse: {
            sourceSecretArn: m.reverse.sourceSecretArn,
            sourceSecretKmsKeyArn: m.reverse.sourceSecretKmsKeyArn,
            targetSecretArn: m.reverse.targetSecretArn,
            targetSecretKmsKeyArn: m.reverse.targetSecretKmsKeyArn,
            cdcLatencyAlarmSeconds: m.reverse.cdcLatencyAlarmSeconds,
          },
        }
      : {}),
    ...(m.verifyTask.enabled && m.verifyTask.image
      ? {
          verifyTask: {
            accountId: w.config.accountId,
            image: m.verifyTask.image,
            cpu: m.verifyTask.cpu,
            memory: m.verifyTask.memory,
            caBundlePath: m.verifyTask.caBundlePath,
            reportRetentionDays: m.verifyTask.reportRetentionDays,
            logRetentionDays: m.verifyTask.logRetentionDays,
          },
        }
      : {}),
  });
  new TerraformOutput(stack, 'dms_replication_task_arn', { value: migration.replicationTaskArn, description: 'The DMS full-load-and-cdc task', staticId: true });
  if (migration.reverseTaskArn) {
    new TerraformOutput(stack, 'dms_reverse_replication_task_arn', { value: migration.reverseTaskArn, description: 'The DMS CDC-only task new -> old (the way back), started at cutover', staticId: true });
  }
  if (migration.verifyTask) {
    new TerraformOutput(stack, 'verify_task_definition_arn', { value: migration.verifyTask.taskDefinitionArn, description: 'The one-off bluegreen data verify task (ECS Fargate, private subnets)', staticId: true });
    new TerraformOutput(stack, 'verify_report_location', { value: migration.verifyTask.reportLocation, description: 'Where the data verify task writes its reports', staticId: true });
    new TerraformOutput(stack, 'verify_security_group_id', { value: migration.verifyTask.securityGroupId, description: 'The security group to run the data verify task with', staticId: true });
  }
  return migration;
}

/** Step `dns`: weighted Route 53 records from the legacy endpoint to the ALB; undefined unless `dns.enabled`. */
export function buildDns(stack: TerraformStack, w: OperationsWiring & { readonly compute: BlueGreenCompute }): LegacyCutoverDns | undefined {
  const props = cutoverDnsPropsFromConfig(w.config.dns, {
    naming: w.naming,
    albDnsName: w.compute.loadBalancer.albDnsName,
    albZoneId: w.compute.loadBalancer.albZoneId,
  });
  return props ? new LegacyCutoverDns(stack, 'dns', props) : undefined;
}
