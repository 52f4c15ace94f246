import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { FARGATE_MEMORY, type Naming } from '@bluegreen/config';
import { Construct } from 'constructs';
import { BlueGreenService, TARGET_GROUP_NAME_LIMIT, type ServiceSettings } from './blue-green-service';
import { BlueGreenLoadBalancer, weightProblems, type CertificateSource } from './load-balancer';
import { COLOURS, refuse, refuseAll } from './types';

export interface LoadBalancerSettings {
  readonly certificate: CertificateSource;
  /** @default 'ELBSecurityPolicy-TLS13-1-2-2021-06' */
  readonly sslPolicy?: string;
  /** @default ['0.0.0.0/0'] */
  readonly ingressCidrs?: readonly string[];
  /** @default 8443 */
  readonly testListenerPort?: number;
  /** @default [] */
  readonly testListenerCidrs?: readonly string[];
  readonly deletionProtection: boolean;
  /** @default 90 */
  readonly accessLogRetentionDays?: number;
}

export interface BlueGreenComputeProps {
  readonly naming: Naming;
  readonly region: string;
  readonly accountId: string;
  readonly vpcId: string;
  /** Where the ALB lives. */
  readonly publicSubnetIds: readonly string[];
  /** Where the tasks run (no public IP). */
  readonly privateSubnetIds: readonly string[];
  readonly loadBalancer: LoadBalancerSettings;
  /**
   * The services behind the load balancer, at least one; exactly one has `routing: { default: true }`. Order does
   * not matter (rules are evaluated by priority).
   */
  readonly services: readonly ServiceSettings[];
  /** `force_delete` of the services' image repositories, so a destroyed environment takes its images along. @default true */
  readonly repositoryForceDelete?: boolean;
}

const NAME = 'BlueGreenCompute';
/** Service names: hyphen-separated words of lowercase letters and digits, starting with a letter. */
export const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/**
 * Names a service may not take: `db` would collide with the database alarms (`alarm-db-<colour>-…`), a colour with the
 * unqualified names of the service that keeps them.
 */
export const RESERVED_SERVICE_NAMES: readonly string[] = ['db', 'blue', 'green'];
/** ALB listener rules: priorities 1-50000; at most 5 condition values per rule; patterns and hosts up to 128 characters. */
const MAX_PRIORITY = 50000;
const MAX_CONDITION_VALUES = 5;
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.$/~"'@:+&*?]*$/;
const HOST_HEADER = /^[A-Za-z0-9*?-]+(\.[A-Za-z0-9*?-]+)+$/;

/** The names a named service's resources get, with their AWS limits (the target group's 32 is the tightest). */
function nameLimitProblem(naming: Naming, name: string, prop: string): string | undefined {
  const limits: readonly [string, string, number][] = [
    ['target group', `tg-${name}-green`, TARGET_GROUP_NAME_LIMIT],
    ['IAM role', `ecs-execution-${name}-green`, 64],
  ];
  for (const [what, type, limit] of limits) {
    const full = `${type}-${naming.suffix}`;
    if (full.length > limit) {
      const room = limit - (full.length - name.length);
      return `${NAME}: ${prop} makes the ${what} name ${JSON.stringify(full)} ${full.length} characters; AWS allows ${limit}, so with suffix ${JSON.stringify(naming.suffix)} a service name may have at most ${Math.max(room, 0)} characters, got ${JSON.stringify(name)}`;
    }
  }
  return undefined;
}

/** Every problem of the services list, by prop path (`services[1].routing.priority …`). */
export function serviceProblems(naming: Naming, services: readonly ServiceSettings[]): string[] {
  const problems: string[] = [];
  const add = (prop: string, rule: string, value: unknown) => problems.push(`${NAME}: ${prop} ${rule}, got ${JSON.stringify(value)}`);
  if (services.length === 0) {
    add('services', 'must list at least one service (exactly one with routing.default)', services);
    return problems;
  }
  const names = new Map<string, number>();
  const priorities = new Map<number, number>();
  const defaults: number[] = [];
  const unqualified: number[] = [];
  const routes: { index: number; paths: readonly string[]; hosts: readonly string[] }[] = [];
  services.forEach((s, i) => {
    const at = `services[${i}]`;
    if (!SERVICE_NAME_PATTERN.test(s.name)) add(`${at}.name`, 'must be lowercase letters and digits in hyphen-separated words, starting with a letter', s.name);
    else if (RESERVED_SERVICE_NAMES.includes(s.name)) add(`${at}.name`, `must not be one of ${RESERVED_SERVICE_NAMES.join(', ')} (they collide with other resource names)`, s.name);
    else if (!s.unqualifiedNames) {
      const limit = nameLimitProblem(naming, s.name, `${at}.name`);
      if (limit) problems.push(limit);
    }
    const first = names.get(s.name);
    if (first !== undefined) add(`${at}.name`, `must be unique (services[${first}] has it too)`, s.name);
    else names.set(s.name, i);
    if (s.unqualifiedNames) unqualified.push(i);

    if (!Number.isInteger(s.containerPort) || s.containerPort < 1 || s.containerPort > 65535) add(`${at}.containerPort`, 'must be a port 1-65535', s.containerPort);
    const hc = s.healthCheck ?? {};
    if ((hc.timeoutSeconds ?? 5) >= (hc.intervalSeconds ?? 15)) add(`${at}.healthCheck.timeoutSeconds`, `must be below healthCheck.intervalSeconds (${hc.intervalSeconds ?? 15})`, hc.timeoutSeconds ?? 5);
    const stickiness = s.stickinessSeconds ?? 0;
    if (!Number.isInteger(stickiness) || stickiness < 0 || stickiness > 604800) add(`${at}.stickinessSeconds`, 'must be a whole number 0-604800', stickiness);
    problems.push(...weightProblems(NAME, `${at}.weights`, s.weights));
    for (const c of COLOURS) {
      if (s.weights[c] > 0 && s[c].desiredCount === 0) add(`${at}.weights.${c}`, `must be 0 while ${at}.${c}.desiredCount is 0 (a colour receiving traffic needs tasks)`, s.weights[c]);
      const memory = FARGATE_MEMORY[s[c].cpu];
      if (memory && !memory.includes(s[c].memory)) add(`${at}.${c}.memory`, `must be a Fargate memory size for cpu ${s[c].cpu} (${memory.join(', ')})`, s[c].memory);
    }
    if (s[s.liveColour].desiredCount === 0) add(`${at}.liveColour`, `must be a colour with tasks (${at}.${s.liveColour}.desiredCount is 0)`, s.liveColour);
    const keep = s.imageRetentionCount ?? 200;
    if (!Number.isInteger(keep) || keep < 1 || keep > 10000) add(`${at}.imageRetentionCount`, 'must be a whole number 1-10000', keep);

    const r = s.routing;
    if (r.default === true) {
      const extra = Object.keys(r).filter((k) => k !== 'default');
      if (extra.length > 0) add(`${at}.routing`, 'of the default service must be { default: true } alone (it answers what no rule matches)', r);
      defaults.push(i);
      return;
    }
    if (!Number.isInteger(r.priority) || r.priority < 1 || r.priority > MAX_PRIORITY) add(`${at}.routing.priority`, `must be a whole number 1-${MAX_PRIORITY}`, r.priority);
    const taken = priorities.get(r.priority);
    if (taken !== undefined) add(`${at}.routing.priority`, `must be unique on the listener (services[${taken}] '${services[taken].name}' has it)`, r.priority);
    else priorities.set(r.priority, i);
    const paths = r.pathPatterns ?? [];
    const hosts = r.hostHeaders ?? [];
    if (paths.length + hosts.length === 0) add(`${at}.routing`, 'must give pathPatterns and/or hostHeaders (or be the default service)', r);
    if (paths.length + hosts.length > MAX_CONDITION_VALUES) add(`${at}.routing`, `may hold at most ${MAX_CONDITION_VALUES} path patterns and host headers together (an ALB rule limit)`, [...paths, ...hosts]);
    paths.forEach((p, j) => {
      if (p.length > 128 || !PATH_PATTERN.test(p)) add(`${at}.routing.pathPatterns[${j}]`, "must be an ALB path pattern: up to 128 characters starting with '/', letters, digits, _ - . $ / ~ \" ' @ : + & and the wildcards * ?", p);
    });
    hosts.forEach((h, j) => {
      if (h.length > 128 || !HOST_HEADER.test(h)) add(`${at}.routing.hostHeaders[${j}]`, "must be a host name with at least one '.': up to 128 characters of letters, digits, - . and the wildcards * ?", h);
    });
    for (const [what, values] of [['pathPatterns', paths], ['hostHeaders', hosts]] as const) {
      const seen = new Set<string>();
      for (const v of values) {
        const key = what === 'hostHeaders' ? v.toLowerCase() : v;
        if (seen.has(key)) add(`${at}.routing.${what}`, `must not repeat ${JSON.stringify(v)}`, values);
        seen.add(key);
      }
    }
    routes.push({ index: i, paths, hosts: hosts.map((h) => h.toLowerCase()) });
  });
  if (defaults.length === 0) add('services', 'must have exactly one default service (routing: { default: true }); none has', services.map((s) => s.name));
  if (defaults.length > 1) {
    add(`services[${defaults[1]}].routing.default`, `must be set on one service only (services[${defaults[0]}] '${services[defaults[0]].name}' is the default route)`, true);
  }
  if (unqualified.length > 1) {
    add(`services[${unqualified[1]}].unqualifiedNames`, `may be set on one service only (services[${unqualified[0]}] '${services[unqualified[0]].name}' keeps the unqualified names)`, true);
  }
  // Two rules that match the same request: the same path pattern (where their hosts can coincide), or the same host.
  for (let a = 0; a < routes.length; a++) {
    for (let b = a + 1; b < routes.length; b++) {
      const x = routes[a];
      const y = routes[b];
      const hostsMeet = x.hosts.length === 0 || y.hosts.length === 0 || x.hosts.some((h) => y.hosts.includes(h));
      const samePath = x.paths.find((p) => y.paths.includes(p));
      const sameHost = x.hosts.find((h) => y.hosts.includes(h));
      if (samePath !== undefined && hostsMeet) {
        add(`services[${y.index}].routing.pathPatterns`, `must not repeat a path pattern of services[${x.index}] '${services[x.index].name}' (${JSON.stringify(samePath)}); give them different host headers or paths`, y.paths);
      } else if (sameHost !== undefined && (x.paths.length === 0 || y.paths.length === 0)) {
        add(`services[${y.index}].routing.hostHeaders`, `must not repeat a host header of services[${x.index}] '${services[x.index].name}' (${JSON.stringify(sameHost)}) unless both narrow it by different paths`, y.hosts);
      }
    }
  }
  return problems;
}

/**
 * Blue/green compute on AWS provider 5.x for several services: one Fargate cluster (Container Insights on), one ALB,
 * and per service two long-lived ECS services (blue, green), each behind its own target group
 * ({@link BlueGreenService}). Each service's traffic moves by the weights of its own forward (the HTTPS listener's
 * default action for the default service, a listener rule for every other), which Terraform owns (docs/traffic.md):
 * shifting one service changes that one forward and nothing else. Inside a colour, deployments roll with the circuit
 * breaker and deployment alarms.
 */
export class BlueGreenCompute extends Construct {
  public readonly clusterName: string;
  /** The cluster name as a plain string, not a Terraform reference (see ColourService.serviceNameLiteral). */
  public readonly clusterNameLiteral: string;
  public readonly clusterArn: string;
  public readonly loadBalancer: BlueGreenLoadBalancer;
  /** Every service by name, in the order of props. */
  public readonly services: Readonly<Record<string, BlueGreenService>>;
  /** The service on the listeners' default actions. */
  public readonly defaultService: BlueGreenService;

  constructor(scope: Construct, id: string, props: BlueGreenComputeProps) {
    super(scope, id);
    if (props.privateSubnetIds.length === 0) refuse(NAME, 'privateSubnetIds', 'must name at least one subnet', props.privateSubnetIds);
    refuseAll(NAME, serviceProblems(props.naming, props.services));
    const { naming } = props;

    this.clusterNameLiteral = naming.name('ecs-cluster');
    const cluster = new EcsCluster(this, 'cluster', {
      name: this.clusterNameLiteral,
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });
    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;

    this.loadBalancer = new BlueGreenLoadBalancer(this, 'load-balancer', {
      naming,
      accountId: props.accountId,
      vpcId: props.vpcId,
      publicSubnetIds: props.publicSubnetIds,
      ...props.loadBalancer,
    });

    const services: Record<string, BlueGreenService> = {};
    for (const settings of props.services) {
      services[settings.name] = new BlueGreenService(this, `service-${settings.name}`, {
        ...settings,
        naming,
        region: props.region,
        accountId: props.accountId,
        vpcId: props.vpcId,
        clusterArn: cluster.arn,
        clusterName: cluster.name,
        subnetIds: props.privateSubnetIds,
        loadBalancer: this.loadBalancer,
        legacyScope: this,
        repositoryForceDelete: props.repositoryForceDelete,
      });
    }
    this.services = services;
    this.defaultService = Object.values(services).find((s) => s.isDefault) as BlueGreenService;
  }

  /** A service by name; throws listing the services there are. */
  service(name: string): BlueGreenService {
    const s = this.services[name];
    if (!s) throw new Error(`${NAME}: no service ${JSON.stringify(name)} (services: ${Object.keys(this.services).join(', ')})`);
    return s;
  }
}
