import { z } from 'zod';
import { cidr, logRetentionDays } from './common';

export const networkSchema = z.strictObject({
  /** The VPC's IPv4 block. */
  vpcCidr: cidr,
  /** One public subnet per availability zone (ALB, NAT gateways). */
  publicSubnetCidrs: z.array(cidr).length(3),
  /** One private (application) subnet per availability zone (ECS tasks, Lambda). */
  privateSubnetCidrs: z.array(cidr).length(3),
  /** One isolated (database) subnet per availability zone: no route out of the VPC. */
  isolatedSubnetCidrs: z.array(cidr).length(3),
  /** `one-per-az` survives an AZ outage (prod); `single` saves two NAT gateways (dev). @default 'one-per-az' */
  natGateways: z.enum(['one-per-az', 'single']).default('one-per-az'),
  /** @default 30 */
  flowLogRetentionDays: logRetentionDays.default(30),
});

export type NetworkConfig = z.infer<typeof networkSchema>;
