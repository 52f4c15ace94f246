import { defineRule } from '../rule';

export const BG013 = defineRule({
  id: 'BG013',
  title: 'CloudWatch log groups have a retention period',
  severity: 'low',
  refuses: 'a log group without `retention_in_days`',
  reads: '`aws_cloudwatch_log_group`',
  covers: ['CKV_AWS_66'],
  fix: 'set retention_in_days (one of the values allowed by CloudWatch Logs, see LOG_RETENTION_DAYS)',
  check({ ofType, report }) {
    for (const el of ofType('aws_cloudwatch_log_group')) {
      const retention = el.body['retention_in_days'];
      if (retention === undefined || retention === 0) report(el, 'retention_in_days is not set (logs would be kept forever)');
    }
  },
});
