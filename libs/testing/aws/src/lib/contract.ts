import type { StackContract } from '@bluegreen/contract';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';

/** ARNs of the {@link testContract} (tests assert the exact calls with them). */
export const TEST_ARNS = {
  listener: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/alb-dev/50dc6c495c0c9188/f2f7dc8efc522ab2`,
  blueTargetGroup: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/tg-blue-dev/73e2d6bc24d8a067`,
  greenTargetGroup: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/tg-green-dev/2453ed029918f21f`,
  catalogRule: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener-rule/app/alb-dev/50dc6c495c0c9188/f2f7dc8efc522ab2/9f1c2b3a4d5e6f70`,
  catalogBlueTargetGroup: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/tg-catalog-blue-dev/1b2c3d4e5f607182`,
  catalogGreenTargetGroup: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/tg-catalog-green-dev/8a7b6c5d4e3f2a1b`,
  forwardTask: `arn:aws:dms:${REGION}:${ACCOUNT}:task:FORWARDTASK`,
  reverseTask: `arn:aws:dms:${REGION}:${ACCOUNT}:task:REVERSETASK`,
} as const;

/** A stack contract as the dev stack writes it (the monolith as the default service, catalog on its rule), with `overrides` on top. */
export function testContract(overrides: Partial<StackContract> = {}): StackContract {
  return {
    version: 1,
    environment: 'dev',
    environmentSuffix: 'dev',
    region: REGION,
    accountId: ACCOUNT,
    loadBalancer: {
      arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/alb-dev/50dc6c495c0c9188`,
      arnSuffix: 'app/alb-dev/50dc6c495c0c9188',
      dnsName: 'alb-dev-1234.us-east-1.elb.amazonaws.com',
      httpsListenerArn: TEST_ARNS.listener,
    },
    ecsClusterName: 'ecs-cluster-dev',
    services: {
      monolith: {
        name: 'monolith',
        route: { kind: 'default-action', listenerArn: TEST_ARNS.listener },
        targetGroups: {
          blue: { arn: TEST_ARNS.blueTargetGroup, arnSuffix: 'targetgroup/tg-blue-dev/73e2d6bc24d8a067' },
          green: { arn: TEST_ARNS.greenTargetGroup, arnSuffix: 'targetgroup/tg-green-dev/2453ed029918f21f' },
        },
        ecsServices: { blue: 'ecs-service-blue-dev', green: 'ecs-service-green-dev' },
        alarms: {
          blue: ['alarm-blue-cpu-dev', 'alarm-blue-5xx-rate-dev'],
          green: ['alarm-green-cpu-dev', 'alarm-green-5xx-rate-dev'],
        },
      },
      catalog: {
        name: 'catalog',
        route: { kind: 'listener-rule', ruleArn: TEST_ARNS.catalogRule },
        targetGroups: {
          blue: { arn: TEST_ARNS.catalogBlueTargetGroup, arnSuffix: 'targetgroup/tg-catalog-blue-dev/1b2c3d4e5f607182' },
          green: { arn: TEST_ARNS.catalogGreenTargetGroup, arnSuffix: 'targetgroup/tg-catalog-green-dev/8a7b6c5d4e3f2a1b' },
        },
        ecsServices: { blue: 'service-catalog-blue-dev', green: 'service-catalog-green-dev' },
        alarms: {
          blue: ['alarm-catalog-blue-cpu-dev', 'alarm-catalog-blue-5xx-rate-dev'],
          green: ['alarm-catalog-green-cpu-dev', 'alarm-catalog-green-5xx-rate-dev'],
        },
      },
    },
    defaultService: 'monolith',
    databases: {
      blue: { clusterId: 'aurora-blue-dev', endpoint: 'aurora-blue-dev.cluster-abc.us-east-1.rds.amazonaws.com', masterSecretArn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:rds!cluster-blue` },
    },
    validatorFunctionName: 'schema-validator-dev',
    alarmTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:alarms-dev`,
    ...overrides,
  };
}

/** `terraform output -json` of a stack with that contract (what `--outputs FILE` holds). */
export const testOutputsJson = (contract: StackContract = testContract()): string =>
  JSON.stringify({ vpc_id: { value: 'vpc-0abc', type: 'string', sensitive: false }, bluegreen: { value: contract, type: ['object', {}], sensitive: false } });
