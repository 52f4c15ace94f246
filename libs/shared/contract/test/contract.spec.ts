import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  colourAlarmType,
  environmentConfigPath,
  findWorkspaceRoot,
  listEnvironments,
  otherColour,
  parseStackContract,
  serviceOf,
  StackContractError,
  STACK_CONTRACT_VERSION,
  unqualifiedColourAlarmType,
  type StackContract,
} from '../src';

const service = (name: string, route: StackContract['services'][string]['route']) => ({
  name,
  route,
  targetGroups: { blue: { arn: `arn:tg/${name}-blue`, arnSuffix: `targetgroup/${name}-blue/1` }, green: { arn: `arn:tg/${name}-green`, arnSuffix: `targetgroup/${name}-green/2` } },
  ecsServices: { blue: `svc-${name}-blue-dev`, green: `svc-${name}-green-dev` },
  alarms: { blue: [`alarm-${name}-blue-5xx-rate-dev`], green: [`alarm-${name}-green-5xx-rate-dev`] },
});

const valid = (): StackContract => ({
  version: STACK_CONTRACT_VERSION,
  environment: 'dev',
  environmentSuffix: 'dev',
  region: 'us-east-1',
  accountId: '123456789012',
  loadBalancer: { arn: 'arn:alb', arnSuffix: 'app/alb-dev/1', dnsName: 'alb-dev.example', httpsListenerArn: 'arn:listener/https' },
  ecsClusterName: 'ecs-cluster-dev',
  services: {
    monolith: service('monolith', { kind: 'default-action', listenerArn: 'arn:listener/https' }),
    payments: service('payments', { kind: 'listener-rule', ruleArn: 'arn:rule/payments' }),
  },
  defaultService: 'monolith',
  databases: { blue: { clusterId: 'aurora-blue-dev', endpoint: 'aurora-blue-dev.cluster.example', masterSecretArn: 'arn:secret' } },
  alarmTopicArn: 'arn:sns',
});

const refusal = (value: unknown): string => {
  try {
    parseStackContract(value, 's3://state/dev/terraform.tfstate');
  } catch (err) {
    expect(err).toBeInstanceOf(StackContractError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('stack contract', () => {
  it('reads back what the stack writes', () => {
    expect(parseStackContract(JSON.parse(JSON.stringify(valid())), 'file')).toEqual(valid());
  });

  it('names every field that does not fit, and where the value came from', () => {
    const broken = valid() as unknown as { loadBalancer: Record<string, unknown>; services: Record<string, Record<string, unknown>> };
    delete broken.loadBalancer.httpsListenerArn;
    broken.services.payments.ecsServices = { blue: 'x' };
    const message = refusal(broken);
    expect(message).toContain('s3://state/dev/terraform.tfstate');
    expect(message).toContain('loadBalancer.httpsListenerArn');
    expect(message).toContain('services.payments.ecsServices.green');
  });

  it('refuses a contract version it does not know, saying which it reads', () => {
    expect(refusal({ ...valid(), version: 2 })).toMatch(/contract version 2; this bluegreen reads version 1/);
  });

  it('refuses a default service that is not one of the services', () => {
    expect(refusal({ ...valid(), defaultService: 'catalog' })).toMatch(/defaultService "catalog" is not one of the services \(monolith, payments\)/);
  });

  it('picks a service by name, requires one when there are several, and lists them on a typo', () => {
    const c = valid();
    expect(serviceOf(c, 'payments').route).toEqual({ kind: 'listener-rule', ruleArn: 'arn:rule/payments' });
    expect(() => serviceOf(c, undefined)).toThrow('has 2 services (monolith, payments): name one with --service');
    expect(() => serviceOf(c, 'paymnets')).toThrow('has no service "paymnets" (services: monolith, payments)');
    expect(serviceOf({ ...c, services: { monolith: c.services.monolith } }, undefined).name).toBe('monolith');
  });

  it("carries a service's image repository when the stack has one, and refuses a repository without its url", () => {
    const c = valid();
    const withRepository = { ...c, services: { ...c.services, payments: { ...c.services.payments, imageRepository: { name: 'ecr-payments-dev', url: '1.dkr.ecr/ecr-payments-dev' } } } };
    expect(parseStackContract(withRepository, 'file').services.payments.imageRepository).toEqual({ name: 'ecr-payments-dev', url: '1.dkr.ecr/ecr-payments-dev' });
    const broken = { ...c, services: { ...c.services, payments: { ...c.services.payments, imageRepository: { name: 'ecr-payments-dev' } } } };
    expect(refusal(broken)).toContain('services.payments.imageRepository.url');
  });

  it('names colour alarms per service; one service may keep the unqualified single-service names', () => {
    expect(colourAlarmType('payments', 'green', '5xx-rate')).toBe('alarm-payments-green-5xx-rate');
    expect(unqualifiedColourAlarmType('green', '5xx-rate')).toBe('alarm-green-5xx-rate');
  });

  it('knows the other colour', () => {
    expect(otherColour('blue')).toBe('green');
    expect(otherColour('green')).toBe('blue');
  });

  it('discovers the workspace root and its environments', () => {
    const root = mkdtempSync(join(tmpdir(), 'contract-'));
    writeFileSync(join(root, 'nx.json'), '{}');
    for (const env of ['prod', 'dev']) {
      mkdirSync(join(root, 'apps', env), { recursive: true });
      writeFileSync(environmentConfigPath(root, env), 'environment: x\n');
    }
    mkdirSync(join(root, 'apps', 'cli'));
    mkdirSync(join(root, 'apps', 'dev', 'src'));
    expect(findWorkspaceRoot(join(root, 'apps', 'dev', 'src'))).toBe(root);
    expect(listEnvironments(root)).toEqual(['dev', 'prod']);
  });
});

describe('the migration section of the stack contract', () => {
  it('parses the tasks, alarms, instance, threshold and the verify task; older stacks with only the first fields still parse', () => {
    const full = {
      ...valid(),
      migration: {
        forwardTaskArn: 'arn:aws:dms:us-east-1:123456789012:task:FWD',
        reverseTaskArn: 'arn:aws:dms:us-east-1:123456789012:task:REV',
        alarms: ['alarm-dms-cdc-latency-target-dev'],
        replicationInstanceId: 'dms-dev',
        reverseAlarms: ['alarm-dms-reverse-cdc-latency-target-dev'],
        cdcLatencyThresholdSeconds: 300,
        verifyTask: { taskDefinitionArn: 'arn:td', subnetIds: ['subnet-a'], securityGroupId: 'sg-1', reportLocation: 's3://b/verify/' },
      },
    };
    expect(parseStackContract(full, 'file').migration).toEqual(full.migration);
    const old = { ...valid(), migration: { forwardTaskArn: 'arn:aws:dms:us-east-1:123456789012:task:FWD', alarms: [] } };
    expect(parseStackContract(old, 'file').migration?.reverseTaskArn).toBeUndefined();
    expect(refusal({ ...valid(), migration: { ...full.migration, cdcLatencyThresholdSeconds: -1 } })).toContain('migration.cdcLatencyThresholdSeconds');
  });
});
