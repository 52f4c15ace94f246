import { App, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';

/** What differs between the fixture configurations (each a pull request against the same base). */
export interface FixtureVariant {
  readonly blueWeight: number;
  readonly greenWeight: number;
  /** Renaming the cluster identifier forces Terraform to replace the Aurora cluster. @default 'aurora-cluster-fx' */
  readonly clusterIdentifier?: string;
  /** Adds one CloudWatch alarm (the "added resource" case). @default false */
  readonly withExtraAlarm?: boolean;
}

export const BASE: FixtureVariant = { blueWeight: 100, greenWeight: 0 };

/**
 * A small blue/green slice (KMS key, Aurora cluster + writer, secret, ALB with a weighted HTTPS listener, task role)
 * that plans offline: literal subnet/VPC ids, no data sources.
 */
export function fixtureStack(variant: FixtureVariant): TerraformStack {
  const app: App = Testing.app();
  const stack = new TerraformStack(app, 'planfx');
  new AwsProvider(stack, 'aws', {
    region: 'us-east-1',
    defaultTags: [{ tags: { Environment: 'fx', Project: 'bluegreen', Owner: 'platform', CostCenter: 'cc-1', ManagedBy: 'cdktf' } }],
  });
  const key = new KmsKey(stack, 'key', { description: 'aurora-fx', enableKeyRotation: true, deletionWindowInDays: 7 });
  const cluster = new RdsCluster(stack, 'cluster', {
    clusterIdentifier: variant.clusterIdentifier ?? 'aurora-cluster-fx',
    engine: 'aurora-postgresql',
    engineVersion: '16.6',
    storageEncrypted: true,
    kmsKeyId: key.arn,
    masterUsername: 'app',
    manageMasterUserPassword: true,
    backupRetentionPeriod: 7,
    skipFinalSnapshot: true,
  });
  new RdsClusterInstance(stack, 'writer', {
    identifier: 'aurora-writer-fx',
    clusterIdentifier: cluster.id,
    instanceClass: 'db.t4g.medium',
    engine: 'aurora-postgresql',
  });
  new SecretsmanagerSecret(stack, 'secret', { name: 'db-app-fx', kmsKeyId: key.arn, recoveryWindowInDays: 0 });
  const lb = new Lb(stack, 'alb', { name: 'alb-fx', subnets: ['subnet-0aaa', 'subnet-0bbb'], dropInvalidHeaderFields: true });
  const blue = new LbTargetGroup(stack, 'tg-blue', { name: 'tg-blue-fx', port: 8080, protocol: 'HTTP', targetType: 'ip', vpcId: 'vpc-0fx' });
  const green = new LbTargetGroup(stack, 'tg-green', { name: 'tg-green-fx', port: 8080, protocol: 'HTTP', targetType: 'ip', vpcId: 'vpc-0fx' });
  new LbListener(stack, 'https', {
    loadBalancerArn: lb.arn,
    port: 443,
    protocol: 'HTTPS',
    sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-4000-8000-000000000001',
    defaultAction: [
      {
        type: 'forward',
        forward: {
          targetGroup: [
            { arn: blue.arn, weight: variant.blueWeight },
            { arn: green.arn, weight: variant.greenWeight },
          ],
        },
      },
    ],
  });
  const role = new IamRole(stack, 'task-role', {
    name: 'task-role-fx',
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }),
  });
  new IamRolePolicy(stack, 'task-policy', {
    name: 'task-policy-fx',
    role: role.name,
    policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:db-app-fx' }] }),
  });
  if (variant.withExtraAlarm) {
    new CloudwatchMetricAlarm(stack, 'alarm-green-5xx', {
      alarmName: 'alarm-green-5xx-rate-fx',
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      statistic: 'Sum',
      period: 60,
      evaluationPeriods: 3,
      threshold: 5,
      comparisonOperator: 'GreaterThanThreshold',
    });
  }
  return stack;
}
