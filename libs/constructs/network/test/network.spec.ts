import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Naming } from '@bluegreen/config';
import { Testing } from 'cdktf';
// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import 'cdktf/lib/testing/adapters/jest';
import { Network, type NetworkProps } from '../src';

Testing.setupJest();

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const base: NetworkProps = {
  naming: new Naming('qa1'),
  accountId: '123456789012',
  availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
  vpcCidr: '10.0.0.0/16',
  publicSubnetCidrs: ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24'],
  privateSubnetCidrs: ['10.0.16.0/20', '10.0.32.0/20', '10.0.48.0/20'],
  isolatedSubnetCidrs: ['10.0.64.0/24', '10.0.65.0/24', '10.0.66.0/24'],
};

function synth(props: Partial<NetworkProps> = {}): { json: string; resources: Resources } {
  const json = Testing.synthScope((scope) => {
    new Network(scope, 'network', { ...base, ...props });
  });
  return { json, resources: (JSON.parse(json) as { resource: Resources }).resource };
}

const values = (r: Resources, type: string) => Object.values(r[type] ?? {});

describe('Network', () => {
  const { json, resources } = synth();

  it('builds a VPC with DNS on and nine subnets over the three AZs from props, no public IPs on launch', () => {
    expect(json).toHaveResourceWithProperties(Vpc, { cidr_block: '10.0.0.0/16', enable_dns_hostnames: true, enable_dns_support: true });
    const subnets = values(resources, 'aws_subnet');
    expect(subnets).toHaveLength(9);
    expect(subnets.every((s) => s.map_public_ip_on_launch === false)).toBe(true);
    expect(new Set(subnets.map((s) => s.availability_zone))).toEqual(new Set(base.availabilityZones));
    expect(json).toHaveResourceWithProperties(Subnet, { cidr_block: '10.0.65.0/24', availability_zone: 'us-east-1b' });
  });

  it('uses no data sources (AZs come from props) and creates no VPC endpoints', () => {
    expect(JSON.parse(json).data).toBeUndefined();
    expect(resources.aws_vpc_endpoint).toBeUndefined();
  });

  it('puts one NAT gateway per AZ by default, each private route table using its own AZ gateway', () => {
    expect(values(resources, 'aws_nat_gateway')).toHaveLength(3);
    expect(values(resources, 'aws_eip')).toHaveLength(3);
    const natRoutes = values(resources, 'aws_route').filter((r) => r.nat_gateway_id);
    expect(new Set(natRoutes.map((r) => r.nat_gateway_id)).size).toBe(3);
  });

  it("uses one NAT gateway for every private subnet with natGateways: 'single'", () => {
    const single = synth({ natGateways: 'single' }).resources;
    expect(values(single, 'aws_nat_gateway')).toHaveLength(1);
    const natRoutes = values(single, 'aws_route').filter((r) => r.nat_gateway_id);
    expect(natRoutes).toHaveLength(3);
    expect(new Set(natRoutes.map((r) => r.nat_gateway_id)).size).toBe(1);
  });

  it('gives isolated subnets route tables with no route out (no IGW, no NAT, inline routes pinned empty)', () => {
    const isolatedTables = Object.entries(resources.aws_route_table).filter(([id]) => id.includes('isolated-route-table'));
    expect(isolatedTables).toHaveLength(3);
    const tableRefs = isolatedTables.map(([id]) => `aws_route_table.${id}.id`);
    for (const [, table] of isolatedTables) expect(table.route).toEqual([]);
    // No aws_route targets an isolated table.
    for (const route of values(resources, 'aws_route')) {
      expect(tableRefs.some((ref) => String(route.route_table_id).includes(ref))).toBe(false);
    }
    // Each isolated subnet is associated with an isolated table.
    const isolatedAssocs = Object.entries(resources.aws_route_table_association).filter(([id]) => id.includes('isolated-rta'));
    expect(isolatedAssocs).toHaveLength(3);
    for (const [, a] of isolatedAssocs) expect(tableRefs.some((ref) => String(a.route_table_id).includes(ref))).toBe(true);
  });

  it('routes only the public table to the internet gateway', () => {
    const igwRoutes = values(resources, 'aws_route').filter((r) => r.gateway_id);
    expect(igwRoutes).toHaveLength(1);
    expect(String(igwRoutes[0].route_table_id)).toContain('public-route-table');
  });

  it('adopts the default security group with no rules at all', () => {
    expect(json).toHaveResourceWithProperties(DefaultSecurityGroup, { ingress: [], egress: [] });
  });

  it('sends flow logs to a CloudWatch log group with retention and no KMS key', () => {
    expect(json).toHaveResourceWithProperties(FlowLog, { traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
    const groups = values(resources, 'aws_cloudwatch_log_group');
    expect(groups).toHaveLength(1);
    expect(groups[0].retention_in_days).toBe(30);
    expect(groups.every((g) => g.kms_key_id === undefined)).toBe(true);
    expect(synth({ flowLogRetentionDays: 90 }).json).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 90 });
  });

  it('gives the flow-log role a trust of vpc-flow-logs.amazonaws.com (this account) and a policy scoped to its log group', () => {
    const role = values(resources, 'aws_iam_role')[0];
    const trust = JSON.parse(String(role.assume_role_policy));
    expect(trust.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }),
    ]);
    // Rendered through Fn.jsonencode (HCL-safe): `jsonencode({"Sid" = …, "Resource" = [...]})`.
    const policy = String(values(resources, 'aws_iam_role_policy')[0].policy);
    const statements = policy.split('"Sid" = ').slice(1);
    expect(statements).toHaveLength(2);
    const [deliver, describe] = statements;
    expect(deliver).toMatch(/^\\"DeliverToFlowLogGroup|^"DeliverToFlowLogGroup/);
    expect(deliver).toContain('logs:PutLogEvents');
    expect(deliver).toMatch(/aws_cloudwatch_log_group\.network_flow-log-group_[A-F0-9]+\.arn}:log-stream:\*/);
    expect(deliver).not.toContain('"*"');
    // Only DescribeLogGroups (no resource-level permissions in IAM) is on "*".
    expect(describe).toMatch(/"DescribeLogGroups"[\s\S]*"Resource" = "\*"/);
  });

  it('names every named resource with the suffix', () => {
    for (const [type, byId] of Object.entries(resources)) {
      for (const [id, r] of Object.entries(byId)) {
        const tags = r.tags as Record<string, string> | undefined;
        for (const name of [r.name, tags?.Name].filter((n) => n !== undefined)) {
          expect(`${type}.${id}: ${String(name)}`).toMatch(/qa1/);
        }
      }
    }
    expect(json).toHaveResourceWithProperties(IamRole, { name: 'role-vpc-flow-logs-qa1' });
    expect(json).toHaveResourceWithProperties(Vpc, { tags: { Name: 'vpc-qa1' } });
  });

  it('refuses bad props, naming each one', () => {
    expect(() => synth({ availabilityZones: ['us-east-1a', 'us-east-1b'] })).toThrow(/availabilityZones: must be three different zones/);
    expect(() => synth({ vpcCidr: '10.0.0.1/16' })).toThrow(/vpcCidr: must be an IPv4 CIDR block/);
    expect(() => synth({ isolatedSubnetCidrs: ['10.0.64.0/24', '10.0.65.0/24', '10.1.0.0/24'] })).toThrow(/isolatedSubnetCidrs\[2\]: must lie inside vpcCidr 10.0.0.0\/16, got 10.1.0.0\/24/);
    expect(() => synth({ privateSubnetCidrs: ['10.0.0.0/20', '10.0.32.0/20', '10.0.48.0/20'] })).toThrow(/privateSubnetCidrs\[0\]: overlaps publicSubnetCidrs\[0\]/);
    expect(() => synth({ flowLogRetentionDays: 10 })).toThrow(/flowLogRetentionDays: must be a CloudWatch Logs retention value/);
  });
});
