/**
 * The structured output `bluegreen` of BlueGreenStack: one {@link StackContract} describing everything the operations
 * tools address (load balancer, cluster, every service with its routes, target groups, ECS services and exact alarm
 * names, databases, validator, alarm topic, migration). Typed by the contract module the command line parses it with,
 * so a field cannot be renamed on one side alone. Identifiers only, never a secret.
 */
import type { EnvironmentConfig } from '@bluegreen/config';
import { STACK_CONTRACT_OUTPUT, STACK_CONTRACT_VERSION, type DatabaseContract, type ServiceContract, type StackContract } from '@bluegreen/contract';
import type { AuroraPostgresCluster } from '@bluegreen/database';
import type { BlueGreenCompute } from '@bluegreen/ecs';
import type { DmsMigration } from '@bluegreen/migration';
import type { BlueGreenMonitoring } from '@bluegreen/monitoring';
import type { SchemaValidatorFunction } from '@bluegreen/validation';
import { TerraformOutput, type TerraformStack } from 'cdktf';

export interface ContractParts {
  readonly config: EnvironmentConfig;
  readonly compute: BlueGreenCompute;
  readonly monitoring: BlueGreenMonitoring;
  readonly databases: { readonly blue: AuroraPostgresCluster; readonly green?: AuroraPostgresCluster };
  readonly validator?: SchemaValidatorFunction;
  readonly migration?: DmsMigration;
  /** The operator policy's ARN. */
  readonly operatorPolicyArn?: string;
}

const database = (db: AuroraPostgresCluster): DatabaseContract => ({ clusterId: db.clusterIdentifier, endpoint: db.endpoint, masterSecretArn: db.masterSecretArn });

/** The contract's value (Terraform references where a value is only known after apply). */
export function stackContract(p: ContractParts): StackContract {
  const { config, compute, monitoring } = p;
  const lb = compute.loadBalancer;
  const services: Record<string, ServiceContract> = {};
  for (const s of Object.values(compute.services)) {
    services[s.name] = {
      name: s.name,
      route: s.route,
      testRoute: s.testRoute,
      targetGroups: {
        blue: { arn: s.targetGroups.blue.arn, arnSuffix: s.targetGroups.blue.arnSuffix },
        green: { arn: s.targetGroups.green.arn, arnSuffix: s.targetGroups.green.arnSuffix },
      },
      ecsServices: { blue: s.blue.serviceName, green: s.green.serviceName },
      alarms: { blue: monitoring.alarmNamesFor(s.name, 'blue'), green: monitoring.alarmNamesFor(s.name, 'green') },
      imageRepository: { name: s.repositoryName, url: s.repositoryUrl },
    };
  }
  return {
    version: STACK_CONTRACT_VERSION,
    environment: config.environment,
    environmentSuffix: config.environmentSuffix,
    region: config.region,
    accountId: config.accountId,
    loadBalancer: { arn: lb.albArn, arnSuffix: lb.albArnSuffix, dnsName: lb.albDnsName, httpsListenerArn: lb.httpsListenerArn, testListenerArn: lb.testListenerArn },
    ecsClusterName: compute.clusterName,
    services,
    defaultService: compute.defaultService.name,
    databases: { blue: database(p.databases.blue), ...(p.databases.green ? { green: database(p.databases.green) } : {}) },
    ...(p.validator ? { validatorFunctionName: p.validator.functionName } : {}),
    alarmTopicArn: monitoring.topicArn,
    ...(p.migration ? { migration: p.migration.contract } : {}),
    ...(p.operatorPolicyArn ? { operatorPolicyArn: p.operatorPolicyArn } : {}),
  };
}

/** Adds the `bluegreen` output (name fixed with `staticId`). */
export function addContractOutput(stack: TerraformStack, parts: ContractParts): TerraformOutput {
  return new TerraformOutput(stack, STACK_CONTRACT_OUTPUT, {
    value: stackContract(parts),
    description: 'The stack contract the bluegreen command line reads (parseStackContract of @bluegreen/contract): every service, its routes, target groups, ECS services and alarms',
    staticId: true,
  });
}
