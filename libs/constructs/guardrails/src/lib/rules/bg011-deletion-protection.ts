import { isRef } from '../elements';
import { defineRule } from '../rule';

export const BG011 = defineRule({
  id: 'BG011',
  title: 'Deletion protection matches the environment config (Aurora clusters, load balancers)',
  severity: 'high',
  refuses: 'deletion protection different from the environment config (on in production; off where the config makes the environment destroyable)',
  reads: '`aws_rds_cluster`, `aws_db_instance`, `aws_lb`',
  covers: ['CKV_AWS_139', 'AVD-AWS-0343', 'CKV_AWS_293', 'AVD-AWS-0177', 'CKV_AWS_150'],
  fix: 'pass the environment config value through to deletion_protection / enable_deletion_protection',
  check({ ofType, options, report }) {
    const database = options.databaseDeletionProtection;
    if (database !== undefined) {
      for (const el of ofType('aws_rds_cluster', 'aws_db_instance')) {
        const got = el.body['deletion_protection'] ?? false;
        if (!isRef(got) && got !== database) report(el, `deletion_protection is ${String(got)}, the environment config says ${String(database)}`);
      }
    }
    const loadBalancer = options.loadBalancerDeletionProtection;
    if (loadBalancer !== undefined) {
      for (const el of ofType('aws_lb', 'aws_alb')) {
        const got = el.body['enable_deletion_protection'] ?? false;
        if (!isRef(got) && got !== loadBalancer) report(el, `enable_deletion_protection is ${String(got)}, the environment config says ${String(loadBalancer)}`);
      }
    }
  },
});
