import { z } from 'zod';

/**
 * Route 53 weighted records moving traffic from a legacy endpoint to this environment's ALB. Off by default.
 * The schema is deliberately small until the traffic library defines what it needs.
 */
export const dnsSchema = z.strictObject({
  /** @default false */
  enabled: z.boolean().default(false),
});

export type DnsConfig = z.infer<typeof dnsSchema>;
