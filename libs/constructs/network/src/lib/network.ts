import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DefaultRouteTable } from '@cdktf/provider-aws/lib/default-route-table';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { cidrContains, cidrsOverlap, LOG_RETENTION_DAYS, parseCidr, type Naming } from '@bluegreen/config';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';

/** How many NAT gateways give the private subnets their way out. */
export type NatGatewayMode = 'one-per-az' | 'single';

export interface NetworkProps {
  /** Names every resource `{resource-type}-{suffix}`. */
  readonly naming: Naming;
  /** The account the flow-log role trusts (`aws:SourceAccount`); from config, never looked up. */
  readonly accountId: string;
  /** Exactly three availability zones, from config (no data source: plans work offline). */
  readonly availabilityZones: readonly string[];
  /** The VPC's IPv4 block. */
  readonly vpcCidr: string;
  /** One public subnet per AZ (load balancer, NAT gateways), same order as `availabilityZones`. */
  readonly publicSubnetCidrs: readonly string[];
  /** One private (application) subnet per AZ: egress through NAT. */
  readonly privateSubnetCidrs: readonly string[];
  /** One isolated (database) subnet per AZ: no route out of the VPC at all. */
  readonly isolatedSubnetCidrs: readonly string[];
  /**
   * `one-per-az` keeps private egress alive through an AZ outage; `single` saves two gateways (dev).
   * @default 'one-per-az'
   */
  readonly natGateways?: NatGatewayMode;
  /** Retention of the flow-log group (a CloudWatch Logs retention value). @default 30 */
  readonly flowLogRetentionDays?: number;
  /** Which traffic the flow log records. @default 'ALL' */
  readonly flowLogTrafficType?: 'ACCEPT' | 'REJECT' | 'ALL';
}

const TIERS = ['publicSubnetCidrs', 'privateSubnetCidrs', 'isolatedSubnetCidrs'] as const;

function validate(props: NetworkProps): void {
  const problems: string[] = [];
  if (props.availabilityZones.length !== 3 || new Set(props.availabilityZones).size !== 3) {
    problems.push(`availabilityZones: must be three different zones, got ${JSON.stringify(props.availabilityZones)}`);
  }
  const vpc = parseCidr(props.vpcCidr);
  if (!vpc) problems.push(`vpcCidr: must be an IPv4 CIDR block with no host bits set, got ${JSON.stringify(props.vpcCidr)}`);
  const all: { field: string; text: string }[] = [];
  for (const tier of TIERS) {
    const cidrs = props[tier];
    if (cidrs.length !== props.availabilityZones.length) {
      problems.push(`${tier}: must have one block per availability zone (${props.availabilityZones.length}), got ${cidrs.length}`);
    }
    cidrs.forEach((text, i) => all.push({ field: `${tier}[${i}]`, text }));
  }
  const parsed = all.map((s) => ({ ...s, cidr: parseCidr(s.text) }));
  for (const s of parsed) {
    if (!s.cidr) problems.push(`${s.field}: must be an IPv4 CIDR block with no host bits set, got ${JSON.stringify(s.text)}`);
    else if (vpc && !cidrContains(vpc, s.cidr)) problems.push(`${s.field}: must lie inside vpcCidr ${props.vpcCidr}, got ${s.text}`);
  }
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      const a = parsed[i];
      const b = parsed[j];
      if (a.cidr && b.cidr && cidrsOverlap(a.cidr, b.cidr)) problems.push(`${b.field}: overlaps ${a.field} (${a.text}), got ${b.text}`);
    }
  }
  if (props.natGateways !== undefined && props.natGateways !== 'one-per-az' && props.natGateways !== 'single') {
    problems.push(`natGateways: must be 'one-per-az' or 'single', got ${JSON.stringify(props.natGateways)}`);
  }
  const retention = props.flowLogRetentionDays;
  if (retention !== undefined && !(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
    problems.push(`flowLogRetentionDays: must be a CloudWatch Logs retention value (${LOG_RETENTION_DAYS.join(', ')}), got ${retention}`);
  }
  if (!/^\d{12}$/.test(props.accountId)) problems.push(`accountId: must be a 12-digit AWS account id, got ${JSON.stringify(props.accountId)}`);
  if (problems.length > 0) throw new Error(`Network: invalid props:\n  - ${problems.join('\n  - ')}`);
}

/**
 * A VPC over three AZs with three subnet tiers:
 * - public: an internet gateway route; hosts the load balancer and the NAT gateway(s);
 * - private (application): a default route to a NAT gateway (its own AZ's, or the single one);
 * - isolated (database): route tables with no route at all beyond the VPC's local one.
 *
 * No VPC endpoints (a requirement: the accounts this deploys to have none left to give; docs/design.md); AWS APIs are reached through NAT. Flow logs go to a
 * CloudWatch log group with default encryption (no `kms_key_id`, by rule). The default security group and the
 * default route table are adopted and emptied so nothing can use them by accident.
 */
export class Network extends Construct {
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  public readonly availabilityZones: readonly string[];
  public readonly publicSubnetIds: string[];
  public readonly privateSubnetIds: string[];
  public readonly isolatedSubnetIds: string[];
  public readonly internetGatewayId: string;
  public readonly natGatewayIds: string[];
  public readonly publicRouteTableId: string;
  /** One per AZ, each with a default route to a NAT gateway. */
  public readonly privateRouteTableIds: string[];
  /** One per AZ, with no route out of the VPC. */
  public readonly isolatedRouteTableIds: string[];
  public readonly defaultSecurityGroupId: string;
  public readonly flowLogGroupName: string;
  public readonly flowLogGroupArn: string;
  public readonly flowLogRoleArn: string;
  public readonly flowLogId: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    validate(props);
    const { naming } = props;
    const azs = props.availabilityZones;
    const natMode = props.natGateways ?? 'one-per-az';
    this.availabilityZones = [...azs];
    this.vpcCidr = props.vpcCidr;

    const vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: naming.name('vpc') },
    });
    this.vpcId = vpc.id;

    // Adopt the defaults AWS creates with every VPC and strip them: no rules, no routes.
    const defaultSg = new DefaultSecurityGroup(this, 'default-security-group', {
      vpcId: vpc.id,
      ingress: [],
      egress: [],
      tags: { Name: naming.name('sg-default') },
    });
    this.defaultSecurityGroupId = defaultSg.id;
    new DefaultRouteTable(this, 'default-route-table', {
      defaultRouteTableId: vpc.defaultRouteTableId,
      route: [],
      tags: { Name: naming.name('rt-default') },
    });

    const igw = new InternetGateway(this, 'internet-gateway', { vpcId: vpc.id, tags: { Name: naming.name('igw') } });
    this.internetGatewayId = igw.id;

    const subnet = (tier: 'public' | 'private' | 'isolated', cidrs: readonly string[]) =>
      cidrs.map(
        (cidr, i) =>
          new Subnet(this, `${tier}-subnet-${i}`, {
            vpcId: vpc.id,
            cidrBlock: cidr,
            availabilityZone: azs[i],
            mapPublicIpOnLaunch: false,
            tags: { Name: naming.name(`subnet-${tier}-${azs[i].slice(-1)}`), Tier: tier },
          }),
      );
    const publicSubnets = subnet('public', props.publicSubnetCidrs);
    const privateSubnets = subnet('private', props.privateSubnetCidrs);
    const isolatedSubnets = subnet('isolated', props.isolatedSubnetCidrs);
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.isolatedSubnetIds = isolatedSubnets.map((s) => s.id);

    // Public tier: one route table, default route to the internet gateway.
    const publicRt = new RouteTable(this, 'public-route-table', { vpcId: vpc.id, tags: { Name: naming.name('rt-public') } });
    new Route(this, 'public-default-route', { routeTableId: publicRt.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
    publicSubnets.forEach((s, i) => new RouteTableAssociation(this, `public-rta-${i}`, { subnetId: s.id, routeTableId: publicRt.id }));
    this.publicRouteTableId = publicRt.id;

    // NAT gateways in the public subnets: one per AZ, or one in the first AZ.
    const natCount = natMode === 'one-per-az' ? azs.length : 1;
    const nats = Array.from({ length: natCount }, (_, i) => {
      const letter = azs[i].slice(-1);
      const eip = new Eip(this, `nat-eip-${i}`, { domain: 'vpc', tags: { Name: naming.name(`eip-nat-${letter}`) }, dependsOn: [igw] });
      return new NatGateway(this, `nat-gateway-${i}`, {
        allocationId: eip.allocationId,
        subnetId: publicSubnets[i].id,
        connectivityType: 'public',
        tags: { Name: naming.name(`nat-${letter}`) },
        dependsOn: [igw],
      });
    });
    this.natGatewayIds = nats.map((n) => n.id);

    // Private tier: a route table per AZ so `one-per-az` keeps egress inside the AZ.
    this.privateRouteTableIds = privateSubnets.map((s, i) => {
      const rt = new RouteTable(this, `private-route-table-${i}`, { vpcId: vpc.id, tags: { Name: naming.name(`rt-private-${azs[i].slice(-1)}`) } });
      new Route(this, `private-default-route-${i}`, { routeTableId: rt.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nats[i % natCount].id });
      new RouteTableAssociation(this, `private-rta-${i}`, { subnetId: s.id, routeTableId: rt.id });
      return rt.id;
    });

    // Isolated tier: route tables with only the implicit local route. Nothing leaves the VPC.
    this.isolatedRouteTableIds = isolatedSubnets.map((s, i) => {
      const rt = new RouteTable(this, `isolated-route-table-${i}`, { vpcId: vpc.id, route: [], tags: { Name: naming.name(`rt-isolated-${azs[i].slice(-1)}`) } });
      new RouteTableAssociation(this, `isolated-rta-${i}`, { subnetId: s.id, routeTableId: rt.id });
      return rt.id;
    });

    // Flow logs: CloudWatch Logs with default encryption (never kms_key_id), a role scoped to that one group.
    const logGroup = new CloudwatchLogGroup(this, 'flow-log-group', {
      name: `/aws/vpc/flow-logs/${naming.name('vpc')}`,
      retentionInDays: props.flowLogRetentionDays ?? 30,
    });
    const role = new IamRole(this, 'flow-log-role', {
      name: naming.name('role-vpc-flow-logs'),
      description: 'Lets VPC Flow Logs deliver to its one CloudWatch log group',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
          },
        ],
      }),
    });
    new IamRolePolicy(this, 'flow-log-role-policy', {
      name: naming.name('policy-vpc-flow-logs'),
      role: role.id,
      // Fn.jsonencode, not JSON.stringify: a JSON string holding tokens breaks `cdktf synth --hcl`.
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DeliverToFlowLogGroup',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: [logGroup.arn, `${logGroup.arn}:log-stream:*`],
          },
          // DescribeLogGroups does not support resource-level permissions.
          { Sid: 'DescribeLogGroups', Effect: 'Allow', Action: ['logs:DescribeLogGroups'], Resource: '*' },
        ],
      }),
    });
    const flowLog = new FlowLog(this, 'flow-log', {
      vpcId: vpc.id,
      trafficType: props.flowLogTrafficType ?? 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: naming.name('flow-log') },
    });
    this.flowLogGroupName = logGroup.name;
    this.flowLogGroupArn = logGroup.arn;
    this.flowLogRoleArn = role.arn;
    this.flowLogId = flowLog.id;
  }
}
