import { defineRule } from '../rule';

export const BG014 = defineRule({
  id: 'BG014',
  title: 'Application load balancers drop invalid HTTP header fields',
  severity: 'medium',
  refuses: 'an ALB without `drop_invalid_header_fields`',
  reads: '`aws_lb` (application)',
  covers: ['CKV_AWS_131', 'AVD-AWS-0052'],
  fix: 'set drop_invalid_header_fields = true on the aws_lb',
  check({ ofType, report }) {
    for (const el of ofType('aws_lb', 'aws_alb')) {
      const type = el.body['load_balancer_type'] ?? 'application';
      if (type === 'application' && el.body['drop_invalid_header_fields'] !== true) report(el, 'drop_invalid_header_fields is not true');
    }
  },
});
