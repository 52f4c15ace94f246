import { z } from 'zod';
import { logRetentionDays, percent } from './common';
import { serviceNameLimitProblem } from '../naming';
import { colourSchema, FARGATE_MEMORY, healthCheckSchema, RESERVED_ENVIRONMENT_NAMES, scalingBounds, SECRET_LIKE_NAME } from './compute';
import { trafficSchema } from './traffic';

/** Service names: hyphen-separated words of lowercase letters and digits, starting with a letter (`payments`, `order-history`). */
export const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/**
 * Names a service may not take: `db` collides with the database alarms (`alarm-db-<colour>-…`), a colour with the
 * names of the service that keeps the environment's single-service names.
 */
export const RESERVED_SERVICE_NAMES: readonly string[] = ['db', 'blue', 'green'];
/** ALB listener rules: priorities 1-50000, at most 5 condition values per rule, each up to 128 characters. */
export const MAX_RULE_PRIORITY = 50000;
export const MAX_RULE_CONDITION_VALUES = 5;
export const PATH_PATTERN = /^\/[A-Za-z0-9_\-.$/~"'@:+&*?]*$/;
export const HOST_HEADER = /^[A-Za-z0-9*?-]+(\.[A-Za-z0-9*?-]+)+$/;

/**
 * How requests reach a service. The default service (exactly one) answers everything no rule matches: the HTTPS and
 * test listeners' default actions. Every other service has a listener rule on both listeners matching its path
 * patterns and/or host headers (both given: a request must match one of each), evaluated by priority, lowest first.
 */
export const routingSchema = z.strictObject({
  /** This service answers what no other service's rule matches. @default false */
  default: z.boolean().default(false),
  /** ALB path patterns (`/payments`, `/payments/*`): case-sensitive, `*` and `?` wildcards. @default [] */
  pathPatterns: z.array(z.string()).default([]),
  /** Host headers (`payments.example.com`, `*.example.com`), case-insensitive. @default [] */
  hostHeaders: z.array(z.string()).default([]),
  /** The listener rule's priority, 1-50000, unique among the services (lowest evaluated first). Required unless `default`. */
  priority: z.number().int().min(1).max(MAX_RULE_PRIORITY).optional(),
});

/** The alarm thresholds a service may set for itself; the rest come from `monitoring.thresholds`. */
export const serviceThresholdsSchema = z.strictObject({
  /** ECS service CPU, percent. @default - monitoring.thresholds.ecsCpuPercent */
  ecsCpuPercent: z.number().min(1).max(100).optional(),
  /** ECS service memory, percent. @default - monitoring.thresholds.ecsMemoryPercent */
  ecsMemoryPercent: z.number().min(1).max(100).optional(),
  /** Target 5xx responses as a percent of requests. @default - monitoring.thresholds.http5xxRatePercent */
  http5xxRatePercent: z.number().min(0.01).max(100).optional(),
  /** p95 target response time, seconds. @default - monitoring.thresholds.p95LatencySeconds */
  p95LatencySeconds: z.number().min(0.01).max(60).optional(),
  /** Unhealthy targets tolerated. @default - monitoring.thresholds.unhealthyHosts */
  unhealthyHosts: z.number().int().min(0).optional(),
});

/**
 * One service behind the load balancer: its own blue/green pair, routing, weights and stages, alarms and database
 * schema. It is built, shipped, shifted, watched and rolled back independently of the environment's other services.
 */
export const serviceSchema = z.strictObject({
  /** The default route, or the paths and/or hosts (with a priority) this service takes over from the default service. */
  routing: routingSchema,
  /**
   * The PostgreSQL schema this service owns (in the environment's database). The schema check before each of its
   * traffic stages compares exactly this schema; no two services own the same one.
   */
  databaseSchema: z.string().regex(/^[a-z_][a-z0-9_$]{0,62}$/, 'must be a PostgreSQL identifier (lowercase letters, digits, _, at most 63 characters)'),
  /**
   * The PostgreSQL role the service's code connects as (created by the service's own migrations; the stack provisions
   * the master user only). The schema check of this service compares that role's effective privileges
   * (`bluegreen schema check --app-role`), so a release that revokes what the old code needs is caught.
   * @default - none: privileges are not compared for one role
   */
  databaseRole: z.string().regex(/^[a-z_][a-z0-9_$]{0,62}$/, 'must be a PostgreSQL role name (lowercase letters, digits, _, at most 63 characters)').optional(),
  /**
   * Keep the resource names and Terraform addresses the environment had when it described one blue/green pair
   * (`service-blue-<suffix>`, `tg-green-<suffix>`, `compute/blue/…`): renaming them would replace the deployed ECS
   * services, target groups and roles. At most one service; its new resources (the image repository) carry its name.
   * @default false
   */
  unqualifiedNames: z.boolean().default(false),
  /** The port the container listens on; the target groups and security groups use it. @default 8080 */
  containerPort: z.number().int().min(1).max(65535).default(8080),
  /** Seconds the ALB waits for in-flight requests before removing a target. @default 30 */
  deregistrationDelaySeconds: z.number().int().min(0).max(3600).default(30),
  /** Seconds ECS ignores failing load-balancer health checks after a task starts. @default 60 */
  healthCheckGracePeriodSeconds: z.number().int().min(0).max(2147483647).default(60),
  /** Retention of the service's per-colour log groups (no KMS key on log groups). @default 30 */
  logRetentionDays: logRetentionDays.default(30),
  /** CPU target of target-tracking autoscaling, per colour. @default 60 */
  cpuTargetPercent: percent.default(60),
  /** The target groups' health check of the service's containers. */
  healthCheck: healthCheckSchema.prefault({}),
  /** The blue colour: its image, size, task count, environment and secrets, database cluster. */
  blue: colourSchema,
  /** The green colour, the same settings as blue (the one a release usually moves to). */
  green: colourSchema,
  /** This service's listener weights, live colour, stages and rollback window. */
  traffic: trafficSchema,
  /** This service's own alarm thresholds, where they differ from `monitoring.thresholds`. @default - monitoring.thresholds */
  thresholds: serviceThresholdsSchema.optional(),
});

/** Every service of the environment by name (at least one; exactly one with `routing.default`). */
export const servicesSchema = z.record(z.string(), serviceSchema);

export type ServiceConfig = z.infer<typeof serviceSchema>;
export type ServiceRoutingConfig = z.infer<typeof routingSchema>;
export type ServiceThresholds = z.infer<typeof serviceThresholdsSchema>;

/** One problem of the services section: the field's path and what is wrong with it. */
export interface ServiceIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

/** What the services checks need from the rest of the environment. */
export interface ServicesContext {
  readonly environmentSuffix: string;
  readonly greenDatabaseEnabled: boolean;
}

const COLOUR_NAMES = ['blue', 'green'] as const;

/** The problems of one service's own fields that a field schema cannot see (weights against tasks, Fargate pairs, …). */
function oneServiceIssues(name: string, s: ServiceConfig, env: ServicesContext, issue: (path: (string | number)[], message: string) => void): void {
  const at = (...rest: (string | number)[]) => ['services', name, ...rest];
  const field = (...rest: (string | number)[]) => at(...rest).join('.');
  if (!SERVICE_NAME_PATTERN.test(name)) issue(at(), `must be named in lowercase letters and digits in hyphen-separated words, starting with a letter, got ${JSON.stringify(name)}`);
  else if (RESERVED_SERVICE_NAMES.includes(name)) issue(at(), `must not be named ${RESERVED_SERVICE_NAMES.join(', ')} (they collide with other resource names), got ${JSON.stringify(name)}`);
  else if (!s.unqualifiedNames) {
    const limit = serviceNameLimitProblem(env.environmentSuffix, name);
    if (limit) issue(at(), `its name ${limit}`);
  }

  // Traffic: weights sum to 100; a colour with weight must have tasks; the live colour must have tasks.
  const t = s.traffic;
  if (t.blue + t.green !== 100) issue(at('traffic'), `blue + green weights must sum to 100, got ${t.blue} + ${t.green} = ${t.blue + t.green}`);
  for (const colour of COLOUR_NAMES) {
    if (t[colour] > 0 && s[colour].desiredCount === 0) {
      issue(at('traffic', colour), `colour ${colour} has weight ${t[colour]} but ${field(colour, 'desiredCount')} is 0: a colour receiving traffic needs tasks`);
    }
  }
  if (s[t.live].desiredCount === 0) issue(at('traffic', 'live'), `the live colour ${t.live} has ${field(t.live, 'desiredCount')} 0`);
  if (t.stages.some((v, i) => i > 0 && v <= t.stages[i - 1])) issue(at('traffic', 'stages'), `must be strictly increasing, got [${t.stages.join(', ')}]`);
  if (t.stages[t.stages.length - 1] !== 100) issue(at('traffic', 'stages'), `must end at 100, got [${t.stages.join(', ')}]`);

  // Colours: Fargate cpu/memory pairs, autoscaling bounds, database assignment, environment and secrets.
  for (const colour of COLOUR_NAMES) {
    const c = s[colour];
    const allowed = FARGATE_MEMORY[c.cpu] ?? [];
    if (!allowed.includes(c.memory)) issue(at(colour, 'memory'), `must be a Fargate memory size for cpu ${c.cpu} (${allowed.join(', ')} MiB), got ${c.memory}`);
    const { min, max } = scalingBounds(c);
    if (min > max) issue(at(colour, 'minCount'), `must not exceed maxCount ${max}, got ${min}`);
    if (c.desiredCount < min || c.desiredCount > max) issue(at(colour, 'desiredCount'), `must be within minCount..maxCount (${min}..${max}), got ${c.desiredCount}`);
    if (c.desiredCount === 0 && max > 0) {
      issue(at(colour, 'maxCount'), `must be 0 while desiredCount is 0 (CPU target tracking cannot scale out from zero tasks; raise desiredCount to un-park the colour), got ${max}`);
    }
    if (c.database === 'green' && !env.greenDatabaseEnabled) issue(at(colour, 'database'), `is 'green' but database.green.enabled is false`);
    for (const key of Object.keys(c.environment)) {
      if ((RESERVED_ENVIRONMENT_NAMES as readonly string[]).includes(key)) {
        issue(at(colour, 'environment', key), `is set by the stack from ${field(colour, 'database')} (${RESERVED_ENVIRONMENT_NAMES.join(', ')} are reserved), got ${JSON.stringify(c.environment[key])}`);
      } else if (SECRET_LIKE_NAME.test(key)) {
        issue(at(colour, 'environment', key), `looks like a secret: plain environment values land in the Terraform JSON; list it under ${field(colour, 'secrets')} instead, got a value for ${key}`);
      }
    }
    const seen = new Set(Object.keys(c.environment));
    c.secrets.forEach((secret, i) => {
      if ((RESERVED_ENVIRONMENT_NAMES as readonly string[]).includes(secret.name)) issue(at(colour, 'secrets', i, 'name'), `is set by the stack from ${field(colour, 'database')} (${RESERVED_ENVIRONMENT_NAMES.join(', ')} are reserved), got ${JSON.stringify(secret.name)}`);
      else if (seen.has(secret.name)) issue(at(colour, 'secrets', i, 'name'), `must not repeat an environment variable or another secret, got ${JSON.stringify(secret.name)}`);
      seen.add(secret.name);
    });
    if (new Set(c.writablePaths).size !== c.writablePaths.length) issue(at(colour, 'writablePaths'), `must not repeat a path, got ${JSON.stringify(c.writablePaths)}`);
  }
  if (s.healthCheck.timeoutSeconds >= s.healthCheck.intervalSeconds) {
    issue(at('healthCheck', 'timeoutSeconds'), `must be less than intervalSeconds (${s.healthCheck.intervalSeconds}), got ${s.healthCheck.timeoutSeconds}`);
  }
  if (s.healthCheck.path.length > 1024) issue(at('healthCheck', 'path'), `must be at most 1024 characters, got ${s.healthCheck.path.length}`);

  // Routing of this service alone.
  const r = s.routing;
  if (r.default) {
    const extra = [r.pathPatterns.length > 0 && 'pathPatterns', r.hostHeaders.length > 0 && 'hostHeaders', r.priority !== undefined && 'priority'].filter((x): x is string => typeof x === 'string');
    if (extra.length > 0) issue(at('routing'), `of the default service must be { default: true } alone (it answers what no rule matches; remove ${extra.join(', ')}), got ${JSON.stringify(r)}`);
    return;
  }
  if (r.priority === undefined) issue(at('routing', 'priority'), 'is required for a service that is not the default (a listener rule needs a priority, 1-50000, lowest evaluated first)');
  const total = r.pathPatterns.length + r.hostHeaders.length;
  if (total === 0) issue(at('routing'), `must give pathPatterns and/or hostHeaders (or be the default service with default: true), got ${JSON.stringify(r)}`);
  if (total > MAX_RULE_CONDITION_VALUES) issue(at('routing'), `may hold at most ${MAX_RULE_CONDITION_VALUES} path patterns and host headers together (an ALB rule limit), got ${total}`);
  r.pathPatterns.forEach((p, j) => {
    if (p.length > 128 || !PATH_PATTERN.test(p)) issue(at('routing', 'pathPatterns', j), `must be an ALB path pattern: up to 128 characters starting with '/', letters, digits, _ - . $ / ~ " ' @ : + & and the wildcards * ?, got ${JSON.stringify(p)}`);
  });
  r.hostHeaders.forEach((h, j) => {
    if (h.length > 128 || !HOST_HEADER.test(h)) issue(at('routing', 'hostHeaders', j), `must be a host name with at least one '.': up to 128 characters of letters, digits, - . and the wildcards * ?, got ${JSON.stringify(h)}`);
  });
  for (const [what, values] of [['pathPatterns', r.pathPatterns], ['hostHeaders', r.hostHeaders]] as const) {
    const seen = new Set<string>();
    values.forEach((v, j) => {
      const key = what === 'hostHeaders' ? v.toLowerCase() : v;
      if (seen.has(key)) issue(at('routing', what, j), `must not repeat ${JSON.stringify(v)} (listed earlier in ${field('routing', what)})`);
      seen.add(key);
    });
  }
}

/**
 * Every problem of the `services` section, by field: each service's own (weights against tasks, Fargate pairs, name
 * limits, routing) and those between services (no service or two defaults, a priority or path pattern taken twice,
 * a schema owned twice, single-service names kept by two).
 */
export function servicesIssues(services: Readonly<Record<string, ServiceConfig>>, env: ServicesContext): ServiceIssue[] {
  const issues: ServiceIssue[] = [];
  const issue = (path: (string | number)[], message: string) => issues.push({ path, message });
  const names = Object.keys(services);
  if (names.length === 0) {
    issue(['services'], 'must list at least one service (exactly one with routing.default: true), got none');
    return issues;
  }
  for (const name of names) oneServiceIssues(name, services[name], env, issue);

  const defaults = names.filter((n) => services[n].routing.default);
  if (defaults.length === 0) {
    issue(['services'], `must have exactly one default service (routing: { default: true }: it answers every request no rule matches), got none among ${names.join(', ')}`);
  }
  for (const extra of defaults.slice(1)) {
    issue(['services', extra, 'routing', 'default'], `must be true for one service only: ${defaults[0]} is the default service already (a load balancer has one default action), got true`);
  }

  const unqualified = names.filter((n) => services[n].unqualifiedNames);
  for (const extra of unqualified.slice(1)) {
    issue(['services', extra, 'unqualifiedNames'], `must be true for one service only: ${unqualified[0]} keeps the single-service names already (two would get the same resource names), got true`);
  }

  const priorityOwner = new Map<number, string>();
  const schemaOwner = new Map<string, string>();
  const rules: { name: string; paths: readonly string[]; hosts: readonly string[] }[] = [];
  for (const name of names) {
    const s = services[name];
    const owner = schemaOwner.get(s.databaseSchema);
    if (owner !== undefined) issue(['services', name, 'databaseSchema'], `must be owned by one service only: ${owner} owns it already (each service owns its own schema), got ${JSON.stringify(s.databaseSchema)}`);
    else schemaOwner.set(s.databaseSchema, name);
    const r = s.routing;
    if (r.default) continue;
    if (r.priority !== undefined) {
      const taken = priorityOwner.get(r.priority);
      if (taken !== undefined) issue(['services', name, 'routing', 'priority'], `must be unique on the listener: ${taken} has it already, got ${r.priority}`);
      else priorityOwner.set(r.priority, name);
    }
    const hosts = r.hostHeaders.map((h) => h.toLowerCase());
    // Two rules with the same path pattern and the same hosts (or both for any host) match the same requests: the one
    // with the lower priority takes them all, silently. The same for a host header with the same (or no) paths.
    for (const other of rules) {
      const sameHosts = (hosts.length === 0 && other.hosts.length === 0) || hosts.some((h) => other.hosts.includes(h));
      const samePaths = (r.pathPatterns.length === 0 && other.paths.length === 0) || r.pathPatterns.some((p) => other.paths.includes(p));
      if (!sameHosts || !samePaths) continue;
      r.pathPatterns.forEach((p, j) => {
        if (other.paths.includes(p)) issue(['services', name, 'routing', 'pathPatterns', j], `must not be routed to two services: ${other.name} has ${JSON.stringify(p)}${hosts.length > 0 ? ' for the same host' : ''} already, got ${JSON.stringify(p)}`);
      });
      if (r.pathPatterns.length === 0) {
        r.hostHeaders.forEach((h, j) => {
          if (other.hosts.includes(h.toLowerCase())) issue(['services', name, 'routing', 'hostHeaders', j], `must not be routed to two services: ${other.name} has ${JSON.stringify(h)} already, got ${JSON.stringify(h)}`);
        });
      }
    }
    rules.push({ name, paths: r.pathPatterns, hosts });
  }
  return issues;
}
