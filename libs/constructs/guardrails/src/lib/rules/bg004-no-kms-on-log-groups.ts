import { defineRule } from '../rule';

export const BG004 = defineRule({
  id: 'BG004',
  title: 'No kms_key_id on CloudWatch log groups (KMS is only for Aurora, Secrets Manager and S3)',
  severity: 'low',
  refuses: '`kms_key_id` on a log group',
  reads: '`aws_cloudwatch_log_group`',
  covers: [],
  contradicts: ['CKV_AWS_158', 'AVD-AWS-0017'],
  fix: 'drop `kmsKeyId` from the log group; CloudWatch Logs encrypts at rest with its own keys',
  check({ ofType, report }) {
    for (const el of ofType('aws_cloudwatch_log_group')) {
      if (el.body['kms_key_id'] !== undefined) report(el, `kms_key_id is set (${String(el.body['kms_key_id'])})`);
    }
  },
});
