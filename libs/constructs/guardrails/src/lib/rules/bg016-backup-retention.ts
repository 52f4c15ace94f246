import { defineRule } from '../rule';

export const BG016 = defineRule({
  id: 'BG016',
  title: 'Aurora keeps at least the configured backup retention (point-in-time recovery window)',
  severity: 'medium',
  refuses: 'Aurora backup retention below the minimum (7 days by default: the point-in-time recovery window)',
  reads: '`aws_rds_cluster`',
  covers: ['CKV_AWS_133', 'AVD-AWS-0077'],
  fix: 'set backup_retention_period to at least the minimum (7 days by default)',
  check({ ofType, options, report }) {
    for (const el of ofType('aws_rds_cluster')) {
      const retention = el.body['backup_retention_period'] ?? 1;
      if (typeof retention === 'number' && retention < options.minBackupRetentionDays) {
        report(el, `backup_retention_period is ${retention}, at least ${options.minBackupRetentionDays} required`);
      }
    }
  },
});
