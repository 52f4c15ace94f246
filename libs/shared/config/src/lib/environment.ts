import { z } from 'zod';
import { cidrContains, cidrsOverlap, parseCidr } from './cidr';
import { ENVIRONMENT_SUFFIX_PATTERN } from './naming';
import { loadBalancerSchema } from './sections/compute';
import { databaseSchema } from './sections/database';
import { dnsSchema } from './sections/dns';
import { migrationSchema } from './sections/migration';
import { monitoringSchema } from './sections/monitoring';
import { networkSchema } from './sections/network';
import { stateSchema } from './sections/state';
import { servicesIssues, servicesSchema } from './sections/services';

export const SUPPORTED_REGIONS = ['us-east-1'] as const;

const tagValue = z.string().min(1).max(256).regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, 'must use only characters AWS allows in tag values');

export const environmentSchema = z
  .strictObject({
    /** The environment's name (dev, staging, prod, …); used in tags and state keys, never branched on. */
    environment: z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, 'must be lowercase letters, digits or hyphens'),
    /** Appended to every resource name: `{resource-type}-{environmentSuffix}`. */
    environmentSuffix: z.string().regex(ENVIRONMENT_SUFFIX_PATTERN, 'must be 1-20 lowercase letters, digits or hyphens, not starting or ending with a hyphen'),
    region: z.enum(SUPPORTED_REGIONS),
    /** The AWS account the environment deploys to (12 digits); config, not a data source, so plans work offline. */
    accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
    /** Exactly three AZs of the region, given rather than looked up so plans need no AWS call. */
    availabilityZones: z.array(z.string()).length(3),
    /** Cost-allocation tags (Environment and ManagedBy are added automatically). */
    tags: z.strictObject({
      project: tagValue,
      owner: tagValue,
      costCenter: tagValue,
    }),
    /**
     * A production-like environment must keep deletion protection on (database and load balancer) unless this
     * names why not. @default false
     */
    production: z.boolean().default(false),
    allowUnprotectedProduction: z.strictObject({ reason: z.string().min(10, 'must explain why (at least 10 characters)') }).optional(),
    state: stateSchema,
    network: networkSchema,
    database: databaseSchema,
    /**
     * The services behind the load balancer, by name: at least one, exactly one of them the default route. Each has
     * its own blue/green pair, routing, traffic weights and stages, alarm thresholds and database schema.
     */
    services: servicesSchema,
    loadBalancer: loadBalancerSchema,
    monitoring: monitoringSchema.prefault({}),
    migration: migrationSchema.prefault({}),
    dns: dnsSchema.prefault({}),
  })
  .superRefine((c, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    /** A certificate ARN must be of this environment's account and region: a load balancer or DMS cannot use another's. */
    const certificateInEnvironment = (path: (string | number)[], arn: string, service: string, resource: RegExp, shape: string) => {
      const m = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/.exec(arn);
      const expected = `arn:aws:${service}:${c.region}:${c.accountId}:${shape}`;
      const what = `must be ${service === 'acm' ? 'an ACM' : 'a DMS'} certificate in ${c.region} of account ${c.accountId} (${expected})`;
      if (!m || m[1] !== 'aws' || m[2] !== service || !resource.test(m[5])) {
        issue(path, `${what}, got ${JSON.stringify(arn)}`);
        return;
      }
      const wrong: string[] = [];
      if (m[4] !== c.accountId) wrong.push(`account ${m[4] || '(none)'}, but accountId is ${c.accountId}`);
      if (m[3] !== c.region) wrong.push(`region ${m[3] || '(none)'}, but region is ${c.region}`);
      if (wrong.length > 0) issue(path, `${what}: it is in ${wrong.join('; and in ')}, got ${JSON.stringify(arn)}`);
    };

    // Availability zones: three distinct zones of the region.
    c.availabilityZones.forEach((az, i) => {
      if (!new RegExp(`^${c.region}[a-z]$`).test(az)) issue(['availabilityZones', i], `must be an availability zone of ${c.region} (e.g. ${c.region}a), got ${JSON.stringify(az)}`);
    });
    if (new Set(c.availabilityZones).size !== c.availabilityZones.length) issue(['availabilityZones'], 'must be three different zones');

    // Subnets: inside the VPC, no two overlapping.
    const vpc = parseCidr(c.network.vpcCidr);
    const subnets: { path: (string | number)[]; text: string }[] = [];
    for (const tier of ['publicSubnetCidrs', 'privateSubnetCidrs', 'isolatedSubnetCidrs'] as const) {
      c.network[tier].forEach((text, i) => subnets.push({ path: ['network', tier, i], text }));
    }
    const parsed = subnets.map((s) => ({ ...s, cidr: parseCidr(s.text) }));
    for (const s of parsed) {
      if (vpc && s.cidr && !cidrContains(vpc, s.cidr)) issue(s.path, `must lie inside network.vpcCidr ${c.network.vpcCidr}, got ${s.text}`);
      if (s.cidr && s.cidr.prefix > 28) issue(s.path, `must be /28 or larger (AWS minimum subnet size), got ${s.text}`);
    }
    for (let i = 0; i < parsed.length; i++) {
      for (let j = i + 1; j < parsed.length; j++) {
        const a = parsed[i];
        const b = parsed[j];
        if (a.cidr && b.cidr && cidrsOverlap(a.cidr, b.cidr)) issue(b.path, `overlaps ${a.path.join('.')} (${a.text}), got ${b.text}`);
      }
    }
    if (vpc && (vpc.prefix < 16 || vpc.prefix > 28)) issue(['network', 'vpcCidr'], `must be between /16 and /28 (AWS VPC limits), got ${c.network.vpcCidr}`);

    // Services: each one's own fields, and those between them (defaults, priorities, paths, schemas, names).
    for (const i of servicesIssues(c.services, { environmentSuffix: c.environmentSuffix, greenDatabaseEnabled: c.database.green.enabled })) issue(i.path, i.message);

    const cert = c.loadBalancer.certificate;
    if (cert.arn !== undefined) certificateInEnvironment(['loadBalancer', 'certificate', 'arn'], cert.arn, 'acm', /^certificate\/[0-9a-f-]+$/, 'certificate/<id>');
    // DMS certificates are read by the replication instance of this environment: same account and region too.
    if (c.migration.source?.certificate?.arn !== undefined) certificateInEnvironment(['migration', 'source', 'certificate', 'arn'], c.migration.source.certificate.arn, 'dms', /^cert:.+$/, 'cert:<id>');
    if (c.migration.targetCertificateArn !== undefined) certificateInEnvironment(['migration', 'targetCertificateArn'], c.migration.targetCertificateArn, 'dms', /^cert:.+$/, 'cert:<id>');
    c.loadBalancer.testListenerCidrs.forEach((text, i) => {
      if (parseCidr(text)?.prefix === 0) issue(['loadBalancer', 'testListenerCidrs', i], `must not open the test listener to the whole internet, got ${text}`);
    });
    if (c.loadBalancer.testListenerPort === 443 || c.loadBalancer.testListenerPort === 80) {
      issue(['loadBalancer', 'testListenerPort'], `must differ from the production listeners (80, 443), got ${c.loadBalancer.testListenerPort}`);
    }

    // Migration (DMS): its target cluster must exist; production replicates from a multi-AZ instance.
    if (c.migration.enabled) {
      if (c.migration.target === 'green' && !c.database.green.enabled) {
        issue(['migration', 'target'], `is 'green' but database.green.enabled is false: enable the green cluster to migrate into it`);
      }
      if (c.production && !c.allowUnprotectedProduction && !c.migration.replicationInstance.multiAz) {
        issue(['migration', 'replicationInstance', 'multiAz'], 'must be true in a production environment (or set allowUnprotectedProduction.reason), got false');
      }
    }

    // Production keeps deletion protection unless explicitly overridden with a reason.
    if (c.production && !c.allowUnprotectedProduction) {
      if (!c.database.deletionProtection) issue(['database', 'deletionProtection'], 'must be true in a production environment (or set allowUnprotectedProduction.reason), got false');
      if (!c.loadBalancer.deletionProtection) issue(['loadBalancer', 'deletionProtection'], 'must be true in a production environment (or set allowUnprotectedProduction.reason), got false');
      if (c.network.natGateways !== 'one-per-az') issue(['network', 'natGateways'], `must be 'one-per-az' in a production environment (or set allowUnprotectedProduction.reason), got '${c.network.natGateways}'`);
    }
  });

/** What the environment's config file holds (defaults optional). */
export type EnvironmentConfigInput = z.input<typeof environmentSchema>;
/** A validated environment config with every default filled in. */
export type EnvironmentConfig = z.output<typeof environmentSchema>;
