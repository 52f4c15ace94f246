import type { StackContract } from '@bluegreen/contract';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';

/** ARNs of the {@link testContract} (tests assert the exact calls with them). */
export const TEST_ARNS = {
  listener: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/alb-dev/50dc6c495c0c9188/f2f7dc8efc522ab2`,
  blueTargetGroup: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/tg-blue-dev/73e2d6bc24d8a067`,
  greenTargetGroup: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/tg-green-dev/2453ed029918f21f`,
  forwardTask: `arn:aws:dms:${REGION}:${ACCOUNT}:task:FORWARDTASK`,
  reverseTask: `arn:aws:dms:${REGION}:${ACCOUNT}:task:REVERSETASK`,
} as const;

/** A stack contract as the dev stack writes it (one default service), with `overrides` on top. */
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
