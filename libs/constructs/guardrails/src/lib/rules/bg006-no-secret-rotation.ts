import { defineRule } from '../rule';

export const BG006 = defineRule({
  id: 'BG006',
  title: 'No Secrets Manager rotation resources or rotation Lambdas (rotation is a documented manual procedure)',
  severity: 'medium',
  refuses: '`aws_secretsmanager_secret_rotation`, a Lambda permission for `secretsmanager.amazonaws.com`, a rotation SAR app',
  reads: '`aws_secretsmanager_secret_rotation`, `aws_lambda_permission`, `aws_serverlessapplicationrepository_cloudformation_stack`',
  covers: [],
  contradicts: ['CKV2_AWS_57'],
  fix: 'remove the aws_secretsmanager_secret_rotation / rotation Lambda permission; follow the manual rotation runbook',
  check({ ofType, report }) {
    for (const el of ofType('aws_secretsmanager_secret_rotation')) report(el, 'aws_secretsmanager_secret_rotation is not allowed');
    for (const el of ofType('aws_lambda_permission')) {
      if (el.body['principal'] === 'secretsmanager.amazonaws.com') report(el, 'a Lambda permission for secretsmanager.amazonaws.com (a rotation Lambda) is not allowed');
    }
    for (const el of ofType('aws_serverlessapplicationrepository_cloudformation_stack')) {
      if (/SecretsManager.*Rotation/i.test(String(el.body['application_id'] ?? ''))) report(el, 'a Secrets Manager rotation application is not allowed');
    }
  },
});
