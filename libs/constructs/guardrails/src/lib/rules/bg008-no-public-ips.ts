import { first, isRef } from '../elements';
import { defineRule } from '../rule';

export const BG008 = defineRule({
  id: 'BG008',
  title: 'No public IP addresses on ECS tasks, databases, DMS instances or private subnets',
  severity: 'high',
  refuses:
    'public IPs: `assign_public_ip` on ECS services, `publicly_accessible` on DB instances, DMS not explicitly private, `map_public_ip_on_launch` on subnets, `associate_public_ip_address`',
  reads: '`aws_ecs_service`, `aws_rds_cluster_instance`, `aws_db_instance`, `aws_dms_replication_instance`, `aws_subnet`, `aws_instance`, `aws_launch_template`',
  covers: ['CKV_AWS_130', 'AVD-AWS-0164', 'CKV_AWS_17', 'AVD-AWS-0180', 'CKV_AWS_333', 'CKV_AWS_89'],
  fix: 'set assign_public_ip = false / publicly_accessible = false; only the public subnets of the ALB map public IPs',
  check({ ofType, report }) {
    for (const el of ofType('aws_ecs_service')) {
      if (first(el.body['network_configuration'])?.['assign_public_ip'] === true) report(el, 'network_configuration.assign_public_ip is true');
    }
    for (const el of ofType('aws_rds_cluster_instance', 'aws_db_instance')) {
      if (el.body['publicly_accessible'] === true) report(el, 'publicly_accessible is true');
    }
    for (const el of ofType('aws_dms_replication_instance')) {
      if (el.body['publicly_accessible'] !== false && !isRef(el.body['publicly_accessible'])) {
        report(el, 'publicly_accessible is not false (DMS makes instances public unless told otherwise)');
      }
    }
    for (const el of ofType('aws_subnet')) {
      if (el.body['map_public_ip_on_launch'] === true) report(el, 'map_public_ip_on_launch is true (the ALB and NAT gateways use their own addresses)');
    }
    for (const el of ofType('aws_instance', 'aws_launch_template')) {
      if (el.body['associate_public_ip_address'] === true) report(el, 'associate_public_ip_address is true');
    }
  },
});
