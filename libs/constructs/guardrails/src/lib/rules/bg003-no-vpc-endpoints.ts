import { defineRule } from '../rule';

export const BG003 = defineRule({
  id: 'BG003',
  title: 'No VPC endpoints (private egress goes through the NAT gateways)',
  severity: 'medium',
  refuses: 'any `aws_vpc_endpoint*` (scanners have no such rule: the design routes private egress through NAT)',
  reads: '`aws_vpc_endpoint`, `aws_vpc_endpoint_*`',
  covers: [],
  fix: 'remove the aws_vpc_endpoint; private subnets reach AWS APIs through the NAT gateway',
  check({ resources, report }) {
    for (const el of resources) if (el.type.startsWith('aws_vpc_endpoint')) report(el, `${el.type} is not allowed`);
  },
});
