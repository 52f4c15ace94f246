import {
  Annotations,
  DefaultTokenResolver,
  StringConcat,
  TerraformDataSource,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  Tokenization,
  type IAspect,
} from 'cdktf';
import type { IConstruct } from 'constructs';
import { REQUIRED_TAG_KEYS } from '@bluegreen/config';
import { findWildcardResourceGrants, parsePolicyStatements, STAR_ONLY_ACTIONS } from './iam';
import { findRule, type GuardrailRuleId } from './rules';
import { suppressionsFor, type GuardrailSuppression } from './suppression';

export interface BlueGreenGuardrailsProps {
  /** The environment suffix every resource name ends with (`{resource-type}-{suffix}`). */
  readonly environmentSuffix: string;
  /**
   * Tag keys the AWS provider's default_tags must carry (non-empty).
   * @default REQUIRED_TAG_KEYS from @bluegreen/config (Environment, Project, Owner, CostCenter, ManagedBy)
   */
  readonly requiredTags?: readonly string[];
  /**
   * Deletion protection the environment config asks for on Aurora clusters (BG011).
   * @default - not checked
   */
  readonly databaseDeletionProtection?: boolean;
  /**
   * Deletion protection the environment config asks for on load balancers (BG011).
   * @default - not checked
   */
  readonly loadBalancerDeletionProtection?: boolean;
  /**
   * Minimum Aurora backup retention in days (BG016).
   * @default 7
   */
  readonly minBackupRetentionDays?: number;
  /**
   * Further IAM actions that only accept Resource "*" (added to the built-in allow-list of BG009).
   * @default - none
   */
  readonly additionalStarOnlyActions?: readonly string[];
}

export interface GuardrailFinding {
  readonly ruleId: GuardrailRuleId;
  /** Construct path, e.g. `dev/database/cluster`. */
  readonly path: string;
  /** Terraform address, e.g. `aws_rds_cluster.database_cluster_1A2B3C4D` (empty for stack-level findings). */
  readonly address: string;
  readonly message: string;
  readonly fix: string;
}

export interface SuppressedFinding extends GuardrailFinding {
  readonly suppression: GuardrailSuppression;
}

export interface GuardrailReport {
  readonly violations: readonly GuardrailFinding[];
  readonly suppressed: readonly SuppressedFinding[];
}

/** Thrown at synth when at least one guardrail is violated; carries every violation, not just the first. */
export class GuardrailViolationError extends Error {
  constructor(public readonly report: GuardrailReport) {
    super(formatReport(report));
    this.name = 'GuardrailViolationError';
  }
}

export function formatFinding(f: GuardrailFinding): string {
  const where = f.address ? `${f.path} (${f.address})` : f.path;
  return `[${f.ruleId}] ${where}: ${f.message}\n      fix: ${f.fix}`;
}

function formatReport(report: GuardrailReport): string {
  const lines = [`Guardrails refused this configuration: ${report.violations.length} violation(s)`];
  for (const v of report.violations) lines.push(`  ${formatFinding(v)}`);
  if (report.suppressed.length > 0) {
    lines.push(`Suppressed (${report.suppressed.length}):`);
    for (const s of report.suppressed) lines.push(`  [${s.ruleId}] ${s.path}: ${s.suppression.reason} (declared on ${s.suppression.path})`);
  }
  lines.push('Suppress a reviewed exception with suppressGuardrail(construct, ruleId, reason) from @bluegreen/guardrails.');
  return lines.join('\n');
}

type Body = Record<string, unknown>;

interface Element {
  readonly construct: IConstruct;
  readonly kind: 'resource' | 'data' | 'provider';
  readonly type: string;
  readonly address: string;
  readonly body: Body;
}

/** Attribute that holds the AWS name of a resource type, where it is not `name`. */
const NAME_ATTRIBUTE: Readonly<Record<string, string>> = {
  aws_rds_cluster: 'cluster_identifier',
  aws_rds_cluster_instance: 'identifier',
  aws_db_instance: 'identifier',
  aws_s3_bucket: 'bucket',
  aws_lambda_function: 'function_name',
  aws_cloudwatch_metric_alarm: 'alarm_name',
  aws_cloudwatch_composite_alarm: 'alarm_name',
  aws_cloudwatch_dashboard: 'dashboard_name',
  aws_dms_replication_instance: 'replication_instance_id',
  aws_dms_endpoint: 'endpoint_id',
  aws_dms_replication_task: 'replication_task_id',
  aws_dms_replication_subnet_group: 'replication_subnet_group_id',
  aws_ecs_task_definition: 'family',
};

/** Types whose `name` is a DNS name or otherwise not ours to shape. */
const NAMING_EXEMPT = new Set([
  'aws_route53_record',
  'aws_route53_zone',
  'aws_route53_health_check',
  'aws_acm_certificate',
  'aws_acm_certificate_validation',
  'aws_lb_listener',
  'aws_lb_listener_rule',
  'aws_ssm_parameter',
]);

/** Types whose name is a path: the rule applies to the last segment (`/aws/lambda/validator-dev`, `alias/aurora-dev`). */
const PATH_NAMED = new Set(['aws_cloudwatch_log_group', 'aws_kms_alias', 'aws_ssm_parameter']);

const STATEFUL_STORES = ['aws_s3_bucket'];
const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);
const ALB_PUBLIC_PORTS = new Set([80, 443]);
const TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-|TLS-1-2-|FS-1-2-)/;

function isRef(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

function first(value: unknown): Body | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v !== null && typeof v === 'object' ? (v as Body) : undefined;
}

function list(value: unknown): Body[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is Body => v !== null && typeof v === 'object');
}

function strings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Does `value` reference the resource at `address` (e.g. `${aws_s3_bucket.logs.id}`)? */
function references(value: unknown, address: string): boolean {
  return typeof value === 'string' && new RegExp(`\\$\\{${escapeRegExp(address)}\\.(id|bucket|arn)\\}`).test(value);
}

/**
 * The blue/green guardrails: an Aspect in the spirit of cdk-nag. Add it to a stack with
 * `Aspects.of(stack).add(new BlueGreenGuardrails({ environmentSuffix }))`; at synth it checks every resource below
 * the construct it was added to and throws a {@link GuardrailViolationError} listing ALL violations (construct path,
 * Terraform address, rule id, fix). Suppressions (see `suppressGuardrail`) are reported as info annotations.
 */
export class BlueGreenGuardrails implements IAspect {
  /** The last analysis (also when it passed): violations and suppressed findings. */
  public lastReport: GuardrailReport | undefined;
  private readonly starOnly: ReadonlySet<string>;
  private readonly requiredTags: readonly string[];
  private readonly minBackupRetentionDays: number;
  private readonly namePattern: RegExp;
  private readonly analysed = new Set<IConstruct>();

  constructor(private readonly props: BlueGreenGuardrailsProps) {
    if (typeof props.environmentSuffix !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(props.environmentSuffix)) {
      throw new Error(
        `BlueGreenGuardrails: environmentSuffix must be lowercase letters, digits and hyphens, got ${JSON.stringify(props.environmentSuffix)}`,
      );
    }
    const min = props.minBackupRetentionDays ?? 7;
    if (!Number.isInteger(min) || min < 1 || min > 35) {
      throw new Error(`BlueGreenGuardrails: minBackupRetentionDays must be an integer 1-35, got ${JSON.stringify(props.minBackupRetentionDays)}`);
    }
    this.minBackupRetentionDays = min;
    this.requiredTags = props.requiredTags ?? REQUIRED_TAG_KEYS;
    this.starOnly = new Set([...STAR_ONLY_ACTIONS, ...(props.additionalStarOnlyActions ?? []).map((a) => a.toLowerCase())]);
    this.namePattern = new RegExp(`^[a-z0-9][a-z0-9-]*-${escapeRegExp(props.environmentSuffix)}$`);
  }

  visit(node: IConstruct): void {
    // The first construct visited is the one the aspect was added to; analyse its whole subtree once per synth
    // (a later synth visits that construct again and re-analyses; its children are covered by it).
    if (node.node.scopes.some((scope) => scope !== node && this.analysed.has(scope))) return;
    this.analysed.add(node);
    const report = this.check(node);
    this.lastReport = report;
    for (const s of report.suppressed) {
      Annotations.of(findConstruct(node, s.path) ?? node).addInfo(
        `guardrail ${s.ruleId} suppressed for ${s.path}: ${s.suppression.reason}`,
      );
    }
    if (report.violations.length > 0) throw new GuardrailViolationError(report);
  }

  /** Runs every rule on the subtree of `root` and returns the report (does not throw). */
  check(root: IConstruct): GuardrailReport {
    const elements = collect(root);
    const findings: GuardrailFinding[] = [];
    const add = (el: Element | undefined, ruleId: GuardrailRuleId, message: string, path?: string): void => {
      const rule = findRule(ruleId);
      findings.push({
        ruleId,
        path: el ? el.construct.node.path : (path ?? root.node.path),
        address: el && el.kind !== 'provider' ? `${el.kind === 'data' ? 'data.' : ''}${el.address}` : '',
        message,
        fix: rule?.fix ?? '',
      });
    };
    const resources = elements.filter((e) => e.kind === 'resource');
    const ofType = (...types: string[]): Element[] => resources.filter((e) => types.includes(e.type));

    this.checkTags(elements, root, add);
    for (const el of resources) {
      this.checkName(el, add);
      const lifecycle = first(el.body['lifecycle']);
      if (lifecycle?.['prevent_destroy'] === true) add(el, 'BG005', 'lifecycle.prevent_destroy is true');
      if (el.type.startsWith('aws_vpc_endpoint')) add(el, 'BG003', `${el.type} is not allowed`);
    }

    // BG004, BG013: log groups.
    for (const el of ofType('aws_cloudwatch_log_group')) {
      if (el.body['kms_key_id'] !== undefined) add(el, 'BG004', `kms_key_id is set (${String(el.body['kms_key_id'])})`);
      const retention = el.body['retention_in_days'];
      if (retention === undefined || retention === 0) add(el, 'BG013', 'retention_in_days is not set (logs would be kept forever)');
    }

    // BG006: rotation.
    for (const el of ofType('aws_secretsmanager_secret_rotation')) add(el, 'BG006', 'aws_secretsmanager_secret_rotation is not allowed');
    for (const el of ofType('aws_lambda_permission')) {
      if (el.body['principal'] === 'secretsmanager.amazonaws.com') add(el, 'BG006', 'a Lambda permission for secretsmanager.amazonaws.com (a rotation Lambda) is not allowed');
    }
    for (const el of ofType('aws_serverlessapplicationrepository_cloudformation_stack')) {
      if (/SecretsManager.*Rotation/i.test(String(el.body['application_id'] ?? ''))) add(el, 'BG006', 'a Secrets Manager rotation application is not allowed');
    }

    // BG007: encryption at rest.
    for (const el of ofType('aws_rds_cluster')) {
      if (el.body['storage_encrypted'] !== true && !isRef(el.body['storage_encrypted'])) add(el, 'BG007', 'storage_encrypted is not true');
      if (el.body['kms_key_id'] === undefined) add(el, 'BG007', 'kms_key_id is not set (Aurora storage must use the customer-managed key)');
    }
    for (const el of ofType('aws_db_instance')) {
      if (el.body['storage_encrypted'] !== true && !isRef(el.body['storage_encrypted'])) add(el, 'BG007', 'storage_encrypted is not true');
    }
    for (const el of ofType('aws_secretsmanager_secret')) {
      if (el.body['kms_key_id'] === undefined) add(el, 'BG007', 'kms_key_id is not set (secrets are encrypted with the customer-managed key)');
    }
    for (const el of ofType('aws_dms_replication_instance')) {
      if (el.body['kms_key_arn'] === undefined) add(el, 'BG007', 'kms_key_arn is not set');
    }
    for (const el of ofType(...STATEFUL_STORES)) {
      const inline = first(el.body['server_side_encryption_configuration']);
      const separate = ofType('aws_s3_bucket_server_side_encryption_configuration').some((c) => references(c.body['bucket'], el.address));
      if (!inline && !separate) add(el, 'BG007', 'no aws_s3_bucket_server_side_encryption_configuration references this bucket');
      const pab = ofType('aws_s3_bucket_public_access_block').find((c) => references(c.body['bucket'], el.address));
      const flags = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
      if (!pab) add(el, 'BG015', 'no aws_s3_bucket_public_access_block references this bucket');
      else if (flags.some((f) => pab.body[f] !== true)) add(pab, 'BG015', `all of ${flags.join(', ')} must be true`);
    }

    // BG008: public IPs.
    for (const el of ofType('aws_ecs_service')) {
      if (first(el.body['network_configuration'])?.['assign_public_ip'] === true) add(el, 'BG008', 'network_configuration.assign_public_ip is true');
    }
    for (const el of ofType('aws_rds_cluster_instance', 'aws_db_instance')) {
      if (el.body['publicly_accessible'] === true) add(el, 'BG008', 'publicly_accessible is true');
    }
    for (const el of ofType('aws_dms_replication_instance')) {
      if (el.body['publicly_accessible'] !== false && !isRef(el.body['publicly_accessible'])) {
        add(el, 'BG008', 'publicly_accessible is not false (DMS makes instances public unless told otherwise)');
      }
    }
    for (const el of ofType('aws_subnet')) {
      if (el.body['map_public_ip_on_launch'] === true) add(el, 'BG008', 'map_public_ip_on_launch is true (the ALB and NAT gateways use their own addresses)');
    }
    for (const el of ofType('aws_instance', 'aws_launch_template')) {
      if (el.body['associate_public_ip_address'] === true) add(el, 'BG008', 'associate_public_ip_address is true');
    }

    // BG009: IAM.
    for (const el of elements) {
      for (const [doc, label] of policyDocuments(el)) {
        for (const f of findWildcardResourceGrants(doc).map((x) => ({ ...x, actions: x.actions.filter((a) => !this.starOnly.has(a.toLowerCase())) }))) {
          if (f.actions.length > 0) add(el, 'BG009', `${label} statement ${f.statement} grants ${f.actions.join(', ')} on Resource "*"`);
        }
      }
    }

    // BG010: listeners.
    const listenerProtocol = new Map<string, string>();
    for (const el of ofType('aws_lb_listener', 'aws_alb_listener')) {
      const protocol = String(el.body['protocol'] ?? 'HTTP');
      listenerProtocol.set(el.address, protocol);
      if (protocol === 'HTTP') {
        const actions = list(el.body['default_action']);
        const ok =
          actions.length === 1 && actions[0]['type'] === 'redirect' && first(actions[0]['redirect'])?.['protocol'] === 'HTTPS';
        if (!ok) add(el, 'BG010', `HTTP listener on port ${String(el.body['port'])} does something other than redirect to HTTPS`);
      } else if (protocol === 'HTTPS') {
        const policy = el.body['ssl_policy'];
        if (typeof policy !== 'string' || (!isRef(policy) && !TLS12_POLICY.test(policy))) {
          add(el, 'BG010', `HTTPS listener ssl_policy ${policy === undefined ? 'is not set (defaults to ELBSecurityPolicy-2016-08, TLS 1.0)' : `${String(policy)} allows TLS below 1.2`}`);
        }
      }
    }
    for (const el of ofType('aws_lb_listener_rule', 'aws_alb_listener_rule')) {
      const arn = String(el.body['listener_arn'] ?? '');
      const m = /\$\{((?:aws_lb_listener|aws_alb_listener)\.[^.}]+)\.arn\}/.exec(arn);
      if (m && listenerProtocol.get(m[1]) === 'HTTP') {
        const actions = list(el.body['action']);
        if (actions.some((a) => a['type'] !== 'redirect' || first(a['redirect'])?.['protocol'] !== 'HTTPS')) {
          add(el, 'BG010', 'a rule on an HTTP listener serves traffic instead of redirecting to HTTPS');
        }
      }
    }

    // BG011: deletion protection matches config; BG016: backups.
    for (const el of ofType('aws_rds_cluster', 'aws_db_instance')) {
      const want = this.props.databaseDeletionProtection;
      const got = el.body['deletion_protection'] ?? false;
      if (want !== undefined && !isRef(got) && got !== want) add(el, 'BG011', `deletion_protection is ${String(got)}, the environment config says ${String(want)}`);
    }
    for (const el of ofType('aws_rds_cluster')) {
      const retention = el.body['backup_retention_period'] ?? 1;
      if (typeof retention === 'number' && retention < this.minBackupRetentionDays) {
        add(el, 'BG016', `backup_retention_period is ${retention}, at least ${this.minBackupRetentionDays} required`);
      }
    }
    for (const el of ofType('aws_lb', 'aws_alb')) {
      const type = el.body['load_balancer_type'] ?? 'application';
      const want = this.props.loadBalancerDeletionProtection;
      const got = el.body['enable_deletion_protection'] ?? false;
      if (want !== undefined && !isRef(got) && got !== want) add(el, 'BG011', `enable_deletion_protection is ${String(got)}, the environment config says ${String(want)}`);
      if (type === 'application' && el.body['drop_invalid_header_fields'] !== true) add(el, 'BG014', 'drop_invalid_header_fields is not true');
    }

    // BG012: security groups open to the internet.
    for (const el of ofType('aws_security_group')) {
      for (const rule of list(el.body['ingress'])) {
        const cidrs = [...strings(rule['cidr_blocks']), ...strings(rule['ipv6_cidr_blocks'])];
        checkIngress(el, cidrs, rule['protocol'], rule['from_port'], rule['to_port'], add);
      }
    }
    for (const el of ofType('aws_security_group_rule')) {
      if (el.body['type'] !== 'ingress') continue;
      const cidrs = [...strings(el.body['cidr_blocks']), ...strings(el.body['ipv6_cidr_blocks'])];
      checkIngress(el, cidrs, el.body['protocol'], el.body['from_port'], el.body['to_port'], add);
    }
    for (const el of ofType('aws_vpc_security_group_ingress_rule')) {
      const cidrs = [...strings(el.body['cidr_ipv4']), ...strings(el.body['cidr_ipv6'])];
      checkIngress(el, cidrs, el.body['ip_protocol'], el.body['from_port'], el.body['to_port'], add);
    }

    // Split into violations and suppressed findings.
    const violations: GuardrailFinding[] = [];
    const suppressed: SuppressedFinding[] = [];
    const byPath = new Map(elements.map((e) => [e.construct.node.path, e.construct]));
    for (const f of findings) {
      const construct = byPath.get(f.path) ?? (f.path === root.node.path ? root : undefined);
      const suppression = construct ? suppressionsFor(construct).find((s) => s.ruleId === f.ruleId) : undefined;
      if (suppression) suppressed.push({ ...f, suppression });
      else violations.push(f);
    }
    return { violations, suppressed };
  }

  private checkName(el: Element, add: (el: Element, id: GuardrailRuleId, msg: string) => void): void {
    if (NAMING_EXEMPT.has(el.type)) return;
    const attribute = NAME_ATTRIBUTE[el.type] ?? 'name';
    const prefix = el.body[`${attribute}_prefix`] ?? el.body['name_prefix'];
    if (typeof prefix === 'string') {
      add(el, 'BG001', `uses a name prefix (${prefix}); names are deterministic \`{resource-type}-${this.props.environmentSuffix}\``);
      return;
    }
    const value = el.body[attribute];
    if (typeof value !== 'string' || isRef(value)) return;
    // Path names pass when one segment is a conforming name: AWS dictates some paths around the resource's own
    // name (`/aws/rds/cluster/aurora-blue-dev/postgresql`, `/aws/lambda/validator-dev`).
    const candidates = PATH_NAMED.has(el.type) ? value.split('/').filter(Boolean) : [value];
    if (!candidates.some((name) => this.namePattern.test(name))) {
      add(el, 'BG001', `${attribute} ${JSON.stringify(value)} does not match {resource-type}-${this.props.environmentSuffix}`);
    }
  }

  private checkTags(
    elements: readonly Element[],
    root: IConstruct,
    add: (el: Element | undefined, id: GuardrailRuleId, msg: string, path?: string) => void,
  ): void {
    const providers = elements.filter((e) => e.kind === 'provider' && e.type === 'aws');
    if (providers.length === 0) {
      // A subtree without its own provider inherits the stack's.
      const stack = TerraformStack.of(root);
      const stackProviders = stack === root ? [] : collect(stack).filter((e) => e.kind === 'provider' && e.type === 'aws');
      if (stackProviders.length === 0) add(undefined, 'BG002', 'no AWS provider with default_tags in this stack', root.node.path);
      providers.push(...stackProviders);
    }
    for (const p of providers) {
      const tags = (first(p.body['default_tags'])?.['tags'] ?? {}) as Body;
      const missing = this.requiredTags.filter((k) => typeof tags[k] !== 'string' || (tags[k] as string).trim() === '');
      if (missing.length > 0) add(p, 'BG002', `AWS provider default_tags lack ${missing.join(', ')}`);
    }
    for (const el of elements.filter((e) => e.kind === 'resource')) {
      const tags = el.body['tags'];
      if (tags && typeof tags === 'object') {
        const blanked = this.requiredTags.filter((k) => k in (tags as Body) && String((tags as Body)[k]).trim() === '');
        if (blanked.length > 0) add(el, 'BG002', `tags blank the required tag(s) ${blanked.join(', ')}`);
      }
    }
  }
}

function checkIngress(
  el: Element,
  cidrs: readonly string[],
  protocol: unknown,
  fromPort: unknown,
  toPort: unknown,
  add: (el: Element, id: GuardrailRuleId, msg: string) => void,
): void {
  const open = cidrs.filter((c) => ANYWHERE.has(c));
  if (open.length === 0) return;
  const allPorts = String(protocol) === '-1' || String(protocol) === 'all';
  const from = Number(fromPort);
  const to = Number(toPort);
  if (allPorts || from !== to || !ALB_PUBLIC_PORTS.has(from)) {
    add(el, 'BG012', `ingress from ${open.join(', ')} on ${allPorts ? 'all ports' : from === to ? `port ${from}` : `ports ${from}-${to}`}`);
  }
}

/** JSON policy documents carried by an element, with a label for messages. */
function policyDocuments(el: Element): Array<[ReturnType<typeof parsePolicyStatements> & object, string]> {
  const out: Array<[NonNullable<ReturnType<typeof parsePolicyStatements>>, string]> = [];
  if (el.kind === 'data' && el.type === 'aws_iam_policy_document') {
    out.push([list(el.body['statement']), 'policy document']);
  }
  if (el.kind === 'resource' && ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'].includes(el.type)) {
    const policy = el.body['policy'];
    const doc = parsePolicyStatements(policy);
    if (doc) out.push([doc, 'policy']);
    // A reference to a policy document data source is checked at that data source; anything else we cannot read
    // fails closed (a policy nobody can check is not a least-privilege policy).
    else if (!(typeof policy === 'string' && /^\$\{data\.aws_iam_policy_document\.[^.}]+\.json\}$/.test(policy))) {
      out.push([[{ Effect: 'Allow', Action: ['(unreadable policy: use JSON.stringify, Fn.jsonencode or an aws_iam_policy_document)'], Resource: '*' }], 'policy']);
    }
  }
  if (el.kind === 'resource' && el.type === 'aws_iam_role') {
    for (const inline of list(el.body['inline_policy'])) {
      const doc = parsePolicyStatements(inline['policy']);
      if (doc) out.push([doc, `inline policy ${String(inline['name'] ?? '')}`.trim()]);
    }
  }
  return out;
}

function findConstruct(root: IConstruct, path: string): IConstruct | undefined {
  return root.node.findAll().find((c) => c.node.path === path);
}

/** Every resource, data source and provider below `root`, as synthesized (tokens resolved to `${...}` references). */
function collect(root: IConstruct): Element[] {
  const out: Element[] = [];
  for (const construct of root.node.findAll()) {
    let kind: Element['kind'];
    if (TerraformResource.isTerraformResource(construct)) kind = 'resource';
    else if (construct instanceof TerraformDataSource) kind = 'data';
    else if (construct instanceof TerraformProvider) kind = 'provider';
    else continue;
    const element = construct as TerraformResource | TerraformDataSource | TerraformProvider;
    const resolved = Tokenization.resolve(element.toTerraform(), {
      scope: construct,
      preparing: false,
      resolver: new DefaultTokenResolver(new StringConcat()),
    }) as Record<string, Record<string, unknown>>;
    const type = element.terraformResourceType;
    let body: Body | undefined;
    if (kind === 'provider') {
      body = first((resolved['provider'] as Record<string, unknown> | undefined)?.[type]);
    } else {
      const block = resolved[kind === 'resource' ? 'resource' : 'data']?.[type] as Record<string, Body> | undefined;
      body = block ? Object.values(block)[0] : undefined;
    }
    const id = kind === 'provider' ? type : (element as TerraformResource).friendlyUniqueId;
    out.push({ construct, kind, type, address: `${type}.${id}`, body: body ?? {} });
  }
  return out;
}
