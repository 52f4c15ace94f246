import { z } from 'zod';
import { cidrContains, cidrsOverlap, parseCidr } from './cidr';
import { ENVIRONMENT_SUFFIX_PATTERN } from './naming';
import { computeSchema, FARGATE_MEMORY, loadBalancerSchema, RESERVED_ENVIRONMENT_NAMES, scalingBounds, SECRET_LIKE_NAME } from './sections/compute';
import { databaseSchema } from './sections/database';
import { dnsSchema } from './sections/dns';
import { migrationSchema } from './sections/migration';
import { monitoringSchema } from './sections/monitoring';
import { networkSchema } from './sections/network';
import { stateSchema } from './sections/state';
import { trafficSchema } from './sections/traffic';

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
    compute: computeSchema,
    loadBalancer: loadBalancerSchema,
    traffic: trafficSchema,
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

    // Traffic: weights sum to 100; a colour with weight must have tasks; the live colour must have tasks.
    if (c.traffic.blue + c.traffic.green !== 100) {
      issue(['traffic'], `blue + green weights must sum to 100, got ${c.traffic.blue} + ${c.traffic.green} = ${c.traffic.blue + c.traffic.green}`);
    }
    for (const colour of ['blue', 'green'] as const) {
      if (c.traffic[colour] > 0 && c.compute[colour].desiredCount === 0) {
        issue(['traffic', colour], `colour ${colour} has weight ${c.traffic[colour]} but compute.${colour}.desiredCount is 0: a colour receiving traffic needs tasks`);
      }
    }
    if (c.compute[c.traffic.live].desiredCount === 0) {
      issue(['traffic', 'live'], `the live colour ${c.traffic.live} has compute.${c.traffic.live}.desiredCount 0`);
    }
    const stages = c.traffic.stages;
    if (stages.some((s, i) => i > 0 && s <= stages[i - 1])) issue(['traffic', 'stages'], `must be strictly increasing, got [${stages.join(', ')}]`);
    if (stages[stages.length - 1] !== 100) issue(['traffic', 'stages'], `must end at 100, got [${stages.join(', ')}]`);

    // Compute: Fargate cpu/memory pairs, autoscaling bounds, database assignment.
    for (const colour of ['blue', 'green'] as const) {
      const s = c.compute[colour];
      const allowed = FARGATE_MEMORY[s.cpu] ?? [];
      if (!allowed.includes(s.memory)) issue(['compute', colour, 'memory'], `must be a Fargate memory size for cpu ${s.cpu} (${allowed.join(', ')} MiB), got ${s.memory}`);
      const { min, max } = scalingBounds(s);
      if (min > max) issue(['compute', colour, 'minCount'], `must not exceed maxCount ${max}, got ${min}`);
      if (s.desiredCount < min || s.desiredCount > max) issue(['compute', colour, 'desiredCount'], `must be within minCount..maxCount (${min}..${max}), got ${s.desiredCount}`);
      if (s.desiredCount === 0 && max > 0) {
        issue(['compute', colour, 'maxCount'], `must be 0 while desiredCount is 0 (CPU target tracking cannot scale out from zero tasks; raise desiredCount to un-park the colour), got ${max}`);
      }
      if (s.database === 'green' && !c.database.green.enabled) issue(['compute', colour, 'database'], `is 'green' but database.green.enabled is false`);
      for (const name of Object.keys(s.environment)) {
        if ((RESERVED_ENVIRONMENT_NAMES as readonly string[]).includes(name)) {
          issue(['compute', colour, 'environment', name], `is set by the stack from compute.${colour}.database (${RESERVED_ENVIRONMENT_NAMES.join(', ')} are reserved), got ${JSON.stringify(s.environment[name])}`);
        } else if (SECRET_LIKE_NAME.test(name)) {
          issue(['compute', colour, 'environment', name], `looks like a secret: plain environment values land in the Terraform JSON; inject it from Secrets Manager instead, got a value for ${name}`);
        }
      }
      if (new Set(s.writablePaths).size !== s.writablePaths.length) issue(['compute', colour, 'writablePaths'], `must not repeat a path, got ${JSON.stringify(s.writablePaths)}`);
    }
    if (c.compute.healthCheck.timeoutSeconds >= c.compute.healthCheck.intervalSeconds) {
      issue(['compute', 'healthCheck', 'timeoutSeconds'], `must be less than intervalSeconds (${c.compute.healthCheck.intervalSeconds}), got ${c.compute.healthCheck.timeoutSeconds}`);
    }
    if (c.compute.healthCheck.path.length > 1024) issue(['compute', 'healthCheck', 'path'], `must be at most 1024 characters, got ${c.compute.healthCheck.path.length}`);
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
