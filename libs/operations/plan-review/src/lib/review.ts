import type { PlanResourceChange, TerraformPlanJson } from './plan';

/** One word per change, the way a reviewer says it. */
export type ChangeKind = 'create' | 'update' | 'replace' | 'delete' | 'no-op' | 'read' | 'forget';

/**
 * Resource types whose replacement or destruction loses data or breaks what depends on their identity: a new Aurora
 * cluster is empty, a deleted KMS key makes its ciphertext unreadable, a new secret has a new ARN and value.
 */
export const STATEFUL_TYPES: ReadonlySet<string> = new Set([
  'aws_rds_cluster',
  'aws_rds_cluster_instance',
  'aws_rds_global_cluster',
  'aws_db_instance',
  'aws_kms_key',
  'aws_secretsmanager_secret',
  'aws_secretsmanager_secret_version',
  'aws_s3_bucket',
  'aws_cloudwatch_log_group',
  'aws_dms_replication_instance',
  'aws_dms_replication_task',
  'aws_route53_zone',
  'aws_ecr_repository',
  'aws_dynamodb_table',
  'aws_efs_file_system',
]);

export const IAM_TYPES: ReadonlySet<string> = new Set([
  'aws_iam_role',
  'aws_iam_policy',
  'aws_iam_role_policy',
  'aws_iam_role_policy_attachment',
  'aws_iam_policy_attachment',
  'aws_iam_user',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
  'aws_iam_instance_profile',
  'aws_iam_openid_connect_provider',
  'aws_kms_key_policy',
  'aws_lambda_permission',
  'aws_s3_bucket_policy',
  'aws_secretsmanager_secret_policy',
]);

/** Categories accepted by `--fail-on`. */
export const FAIL_ON_CATEGORIES = ['replace-stateful', 'destroy-stateful', 'replace', 'destroy', 'iam', 'traffic', 'any-change'] as const;
export type FailOnCategory = (typeof FAIL_ON_CATEGORIES)[number];
/** What blocks when `--fail-on` is not given: losing state is never a silent default. */
export const DEFAULT_FAIL_ON: readonly FailOnCategory[] = ['replace-stateful', 'destroy-stateful'];

export interface ChangeSummary {
  readonly address: string;
  readonly type: string;
  readonly kind: ChangeKind;
  readonly stateful: boolean;
  /** Attribute paths that force the replacement (`replace_paths`), dotted: `cluster_identifier`, `tags.Name`. */
  readonly replacePaths: readonly string[];
  /** Terraform's `action_reason` (e.g. `replace_because_cannot_update`, `delete_because_no_resource_config`). */
  readonly actionReason?: string;
}

export interface TypeCount {
  readonly type: string;
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
}

export interface WeightedTarget {
  /** Colour (blue/green) when the target group's name or ARN says so, else the target group name or ARN. */
  readonly label: string;
  readonly targetGroup: string;
  readonly weight: number;
}

export interface TrafficChange {
  readonly address: string;
  readonly kind: ChangeKind;
  readonly before: readonly WeightedTarget[];
  readonly after: readonly WeightedTarget[];
  /** Plain words: `blue 100 → 90, green 0 → 10`. */
  readonly description: string;
}

export interface IamChange {
  readonly address: string;
  readonly type: string;
  readonly kind: ChangeKind;
  /** For policy documents: actions granted after and not before, and the other way round. */
  readonly actionsAdded: readonly string[];
  readonly actionsRemoved: readonly string[];
}

export interface BlockingFinding {
  readonly category: FailOnCategory;
  readonly address: string;
  readonly message: string;
}

export interface PlanReview {
  readonly terraformVersion?: string;
  readonly counts: Readonly<Record<ChangeKind, number>>;
  readonly byType: readonly TypeCount[];
  readonly changes: readonly ChangeSummary[];
  readonly traffic: readonly TrafficChange[];
  readonly iam: readonly IamChange[];
  /** Replacements and deletions of stateful resources, whatever `--fail-on` says. */
  readonly redFlags: readonly ChangeSummary[];
  readonly outputChanges: readonly string[];
  readonly failOn: readonly FailOnCategory[];
  readonly blocking: readonly BlockingFinding[];
}

export function kindOf(actions: readonly string[]): ChangeKind {
  const a = [...actions].sort().join(',');
  if (a === 'create,delete') return 'replace';
  if (actions.length === 1 && ['create', 'update', 'delete', 'no-op', 'read', 'forget'].includes(actions[0])) return actions[0] as ChangeKind;
  if (actions.includes('delete')) return 'delete';
  return 'update';
}

/** Parses `--fail-on a,b`; `none` means nothing blocks. Throws naming the bad value. */
export function parseFailOn(value: string | undefined): FailOnCategory[] {
  if (value === undefined) return [...DEFAULT_FAIL_ON];
  const parts = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 1 && parts[0] === 'none') return [];
  const bad = parts.filter((p) => !(FAIL_ON_CATEGORIES as readonly string[]).includes(p));
  if (bad.length > 0) {
    throw new Error(`--fail-on: must be a comma-separated list of ${FAIL_ON_CATEGORIES.join(', ')} (or none), got ${bad.map((b) => JSON.stringify(b)).join(', ')}`);
  }
  return [...new Set(parts)] as FailOnCategory[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** `[["default_action", 0, "forward"]]` → `default_action[0].forward`. */
function pathText(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Target-group ARN/name → colour, from the plan's own target groups when their names say so. */
function targetGroupLabels(plan: TerraformPlanJson): Map<string, string> {
  const labels = new Map<string, string>();
  for (const rc of plan.resource_changes ?? []) {
    if (rc.type !== 'aws_lb_target_group' && rc.type !== 'aws_alb_target_group') continue;
    for (const side of [rc.change.before, rc.change.after]) {
      if (!isObj(side)) continue;
      const name = typeof side['name'] === 'string' ? side['name'] : rc.name;
      const label = colourOf(name) ?? name;
      if (typeof side['arn'] === 'string') labels.set(side['arn'], label);
    }
  }
  return labels;
}

/** `blue` or `green` when a name or ARN says so (`tg-green-dev`, `database-green_cluster`). */
export function colourOf(text: string): string | undefined {
  const m = /(?:^|[^a-z])(blue|green)(?:[^a-z]|$)/i.exec(text);
  return m ? m[1].toLowerCase() : undefined;
}

/**
 * The weighted targets of a listener's `default_action` forward, from its attributes as a plan or a state holds them;
 * `labels` maps target-group ARNs to colours (else the ARN's name says it). Also read by `@bluegreen/state`.
 */
export function forwardTargets(listener: unknown, labels: ReadonlyMap<string, string>): WeightedTarget[] {
  if (!isObj(listener)) return [];
  const out: WeightedTarget[] = [];
  for (const action of arr(listener['default_action'])) {
    if (!isObj(action)) continue;
    const groups: Obj[] = [];
    for (const fwd of arr(action['forward'])) {
      if (isObj(fwd)) groups.push(...arr(fwd['target_group']).filter(isObj));
    }
    if (groups.length === 0 && typeof action['target_group_arn'] === 'string' && action['type'] === 'forward') {
      groups.push({ arn: action['target_group_arn'], weight: 100 });
    }
    for (const g of groups) {
      const arn = typeof g['arn'] === 'string' ? g['arn'] : '(known after apply)';
      const tgName = /targetgroup\/([^/]+)\//.exec(arn)?.[1];
      const label = labels.get(arn) ?? colourOf(tgName ?? arn) ?? tgName ?? arn;
      out.push({ label, targetGroup: arn, weight: typeof g['weight'] === 'number' ? g['weight'] : 1 });
    }
  }
  return out.sort((a, b) => a.label.localeCompare(b.label));
}

/**
 * The weighted targets as configured, for when the plan cannot know the target-group ARNs yet (created in the same
 * plan; the planned `target_group` set then holds only weights, in set order). Labels come from the referenced
 * target group's address (`aws_lb_target_group.compute_..._target-group-blue_...` → blue).
 */
function configuredTargets(plan: TerraformPlanJson, address: string): WeightedTarget[] | undefined {
  const config = (plan as { configuration?: { root_module?: { resources?: Array<{ address: string; expressions?: Obj }> } } }).configuration;
  const resource = config?.root_module?.resources?.find((r) => r.address === address);
  if (!resource?.expressions) return undefined;
  const out: WeightedTarget[] = [];
  for (const action of arr(resource.expressions['default_action'])) {
    if (!isObj(action)) continue;
    for (const fwd of arr(action['forward'])) {
      for (const tg of isObj(fwd) ? arr(fwd['target_group']) : []) {
        if (!isObj(tg) || !isObj(tg['arn']) || !isObj(tg['weight'])) return undefined;
        const ref = arr(tg['arn']['references']).find((r): r is string => typeof r === 'string') ?? String(tg['arn']['constant_value'] ?? '?');
        const weight = tg['weight']['constant_value'];
        if (typeof weight !== 'number') return undefined;
        out.push({ label: colourOf(ref) ?? ref, targetGroup: ref, weight });
      }
    }
  }
  return out.length > 0 ? out.sort((a, b) => a.label.localeCompare(b.label)) : undefined;
}

function describeTraffic(before: readonly WeightedTarget[], after: readonly WeightedTarget[]): string {
  const labels = [...new Set([...before.map((t) => t.label), ...after.map((t) => t.label)])].sort();
  return labels
    .map((label) => {
      const b = before.find((t) => t.label === label)?.weight;
      const a = after.find((t) => t.label === label)?.weight;
      return `${label} ${b === undefined ? '(none)' : b} → ${a === undefined ? '(removed)' : a}`;
    })
    .join(', ');
}

function policyActions(doc: unknown): Set<string> {
  const actions = new Set<string>();
  let parsed: unknown = doc;
  if (typeof doc === 'string') {
    try {
      parsed = JSON.parse(doc);
    } catch {
      return actions;
    }
  }
  if (!isObj(parsed)) return actions;
  for (const s of arr(parsed['Statement'])) {
    if (!isObj(s) || (s['Effect'] ?? 'Allow') !== 'Allow') continue;
    for (const a of arr(s['Action'])) if (typeof a === 'string') actions.add(a);
  }
  return actions;
}

function iamChange(rc: PlanResourceChange, kind: ChangeKind): IamChange {
  const field = rc.type === 'aws_iam_role' ? 'assume_role_policy' : 'policy';
  const before = policyActions(isObj(rc.change.before) ? rc.change.before[field] : undefined);
  const after = policyActions(isObj(rc.change.after) ? rc.change.after[field] : undefined);
  // For a role, the document is its trust policy: say so, so `sts:AssumeRole` is not read as a permission.
  const label = (a: string) => (rc.type === 'aws_iam_role' ? `trust: ${a}` : a);
  return {
    address: rc.address,
    type: rc.type,
    kind,
    actionsAdded: [...after].filter((a) => !before.has(a)).sort().map(label),
    actionsRemoved: [...before].filter((a) => !after.has(a)).sort().map(label),
  };
}

/** Builds the review of a plan. Pure: the same plan and `failOn` give the same review. */
export function reviewPlan(plan: TerraformPlanJson, failOn: readonly FailOnCategory[] = DEFAULT_FAIL_ON): PlanReview {
  const counts: Record<ChangeKind, number> = { create: 0, update: 0, replace: 0, delete: 0, 'no-op': 0, read: 0, forget: 0 };
  const byType = new Map<string, { create: number; update: number; replace: number; delete: number }>();
  const changes: ChangeSummary[] = [];
  const traffic: TrafficChange[] = [];
  const iam: IamChange[] = [];
  const labels = targetGroupLabels(plan);

  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === 'data') continue;
    const kind = kindOf(rc.change.actions);
    counts[kind] += 1;
    if (kind === 'no-op' || kind === 'read') continue;
    const row = byType.get(rc.type) ?? { create: 0, update: 0, replace: 0, delete: 0 };
    if (kind === 'create' || kind === 'update' || kind === 'replace' || kind === 'delete') row[kind] += 1;
    byType.set(rc.type, row);
    const summary: ChangeSummary = {
      address: rc.address,
      type: rc.type,
      kind,
      stateful: STATEFUL_TYPES.has(rc.type),
      replacePaths: (rc.change.replace_paths ?? []).map(pathText),
      ...(rc.action_reason ? { actionReason: rc.action_reason } : {}),
    };
    changes.push(summary);

    if (rc.type === 'aws_lb_listener' || rc.type === 'aws_alb_listener') {
      const before = forwardTargets(rc.change.before, labels);
      let after = forwardTargets(rc.change.after, labels);
      if (after.some((t) => t.targetGroup === '(known after apply)')) after = configuredTargets(plan, rc.address) ?? after;
      const same =
        before.length === after.length && before.every((b) => after.some((a) => a.label === b.label && a.weight === b.weight));
      if (!same && (before.length > 0 || after.length > 0)) {
        traffic.push({ address: rc.address, kind, before, after, description: describeTraffic(before, after) });
      }
    }
    if (IAM_TYPES.has(rc.type)) iam.push(iamChange(rc, kind));
  }

  const redFlags = changes.filter((c) => c.stateful && (c.kind === 'replace' || c.kind === 'delete' || c.kind === 'forget'));
  const blocking: BlockingFinding[] = [];
  const wants = new Set(failOn);
  for (const c of changes) {
    const why = c.replacePaths.length > 0 ? ` (forced by ${c.replacePaths.join(', ')})` : c.actionReason ? ` (${c.actionReason})` : '';
    if (c.kind === 'replace' && c.stateful && wants.has('replace-stateful')) {
      blocking.push({ category: 'replace-stateful', address: c.address, message: `replaces stateful ${c.type}${why}: its data/identity is lost` });
    } else if (c.kind === 'replace' && wants.has('replace')) {
      blocking.push({ category: 'replace', address: c.address, message: `replaces ${c.type}${why}` });
    }
    if ((c.kind === 'delete' || c.kind === 'forget') && c.stateful && wants.has('destroy-stateful')) {
      blocking.push({ category: 'destroy-stateful', address: c.address, message: `destroys stateful ${c.type}${why}` });
    } else if ((c.kind === 'delete' || (c.kind === 'replace' && !c.stateful)) && wants.has('destroy')) {
      blocking.push({ category: 'destroy', address: c.address, message: `destroys ${c.type}${why}` });
    } else if (c.kind === 'replace' && c.stateful && wants.has('destroy') && !wants.has('replace-stateful')) {
      blocking.push({ category: 'destroy', address: c.address, message: `destroys (replaces) ${c.type}${why}` });
    }
    if (wants.has('any-change')) blocking.push({ category: 'any-change', address: c.address, message: `${c.kind} ${c.type}` });
  }
  if (wants.has('iam')) for (const i of iam) blocking.push({ category: 'iam', address: i.address, message: `IAM ${i.kind} of ${i.type}` });
  if (wants.has('traffic')) for (const t of traffic) blocking.push({ category: 'traffic', address: t.address, message: `traffic weights change: ${t.description}` });

  const outputChanges = Object.entries(plan.output_changes ?? {})
    .filter(([, c]) => !(c.actions.length === 1 && c.actions[0] === 'no-op'))
    .map(([name]) => name)
    .sort();

  return {
    ...(plan.terraform_version ? { terraformVersion: plan.terraform_version } : {}),
    counts,
    byType: [...byType.entries()].map(([type, c]) => ({ type, ...c })).sort((a, b) => a.type.localeCompare(b.type)),
    changes: changes.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)),
    traffic,
    iam,
    redFlags,
    outputChanges,
    failOn: [...failOn],
    blocking,
  };
}
