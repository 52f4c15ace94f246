import { escapeRegExp, isRef } from '../elements';
import { defineRule } from '../rule';

/** Attribute that holds the AWS name of a resource type, where it is not `name`. */
const NAME_ATTRIBUTE: Readonly<Record<string, string>> = {
  aws_rds_cluster: 'cluster_identifier',
  aws_rds_cluster_instance: 'identifier',
  aws_db_instance: 'identifier',
  aws_s3_bucket: 'bucket',
  aws_lambda_function: 'function_name',
  aws_cloudwatch_metric_alarm: 'alarm_name',
  aws_cloudwatch_composite_alarm: 'alarm_name',
  aws_cloudwatch_dashboard: 'dashboard_name',
  aws_dms_replication_instance: 'replication_instance_id',
  aws_dms_endpoint: 'endpoint_id',
  aws_dms_replication_task: 'replication_task_id',
  aws_dms_replication_subnet_group: 'replication_subnet_group_id',
  aws_ecs_task_definition: 'family',
};

/** Types whose `name` is a DNS name or otherwise not ours to shape. */
const NAMING_EXEMPT = new Set([
  'aws_route53_record',
  'aws_route53_zone',
  'aws_route53_health_check',
  'aws_acm_certificate',
  'aws_acm_certificate_validation',
  'aws_lb_listener',
  'aws_lb_listener_rule',
  'aws_ssm_parameter',
]);

/** Types whose name is a path: the rule applies to the segments (`/aws/lambda/validator-dev`, `alias/aurora-dev`). */
const PATH_NAMED = new Set(['aws_cloudwatch_log_group', 'aws_kms_alias', 'aws_ssm_parameter']);

export const BG001 = defineRule({
  id: 'BG001',
  title: 'Named resources follow `{resource-type}-{environment-suffix}`',
  severity: 'low',
  refuses:
    'a name that is not `{resource-type}-{suffix}` (or a `name_prefix`); AWS-dictated log group paths pass when one segment conforms (`/aws/rds/cluster/aurora-blue-dev/postgresql`)',
  reads:
    'every resource with a name attribute (`name`, `cluster_identifier`, `identifier`, `bucket`, `function_name`, `alarm_name`, `family`, DMS ids …); DNS names exempt',
  covers: [],
  fix: "name the resource with `new Naming(suffix).name('<resource-type>')` from @bluegreen/config",
  check({ resources, options, report }) {
    const suffix = options.environmentSuffix;
    const pattern = new RegExp(`^[a-z0-9][a-z0-9-]*-${escapeRegExp(suffix)}$`);
    for (const el of resources) {
      if (NAMING_EXEMPT.has(el.type)) continue;
      const attribute = NAME_ATTRIBUTE[el.type] ?? 'name';
      const prefix = el.body[`${attribute}_prefix`] ?? el.body['name_prefix'];
      if (typeof prefix === 'string') {
        report(el, `uses a name prefix (${prefix}); names are deterministic \`{resource-type}-${suffix}\``);
        continue;
      }
      const value = el.body[attribute];
      if (typeof value !== 'string' || isRef(value)) continue;
      // Path names pass when one segment is a conforming name: AWS dictates some paths around the resource's own
      // name (`/aws/rds/cluster/aurora-blue-dev/postgresql`, `/aws/lambda/validator-dev`).
      const candidates = PATH_NAMED.has(el.type) ? value.split('/').filter(Boolean) : [value];
      if (!candidates.some((name) => pattern.test(name))) report(el, `${attribute} ${JSON.stringify(value)} does not match {resource-type}-${suffix}`);
    }
  },
});
