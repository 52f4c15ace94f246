/**
 * Crafting a Terraform state offline, so that plans of CHANGES (a weight change, a forced replacement) can be
 * produced by the real terraform CLI and AWS provider without an AWS account.
 *
 * `terraform apply` needs AWS and `import` blocks need to read AWS, so the prior state is built instead:
 *  1. plan the base configuration against an empty local state (`plan -refresh=false`, the offline overlay);
 *  2. turn its `planned_values` into a v4 state file: known values as planned, every "known after apply" value
 *     (after_unknown) filled with a deterministic synthetic value of the type the provider schema declares
 *     (`terraform providers schema -json`): ARNs look like ARNs, ids are `fx-<resource>-id`, numbers 0, lists [];
 *  3. "settle": plan the same configuration against that state; every resource the plan would still change
 *     (values derived from another resource's synthetic id, tags_all from default_tags, ...) takes the plan's
 *     `after` values into the state; repeat until the plan of the unchanged configuration is empty (a fixpoint).
 *     That empty plan is the proof that the crafted state is one Terraform considers in sync with the base config.
 *  4. plan the changed configuration against the settled state: that plan is the fixture.
 * Honest limits: no real API ever saw these values; attributes AWS would fill in differently (e.g. engine
 * defaults) are whatever the provider planned or a synthetic placeholder.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { OfflineWorkDir } from '@bluegreen/testing-terraform';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

interface SchemaBlock {
  attributes?: Record<string, { type?: unknown }>;
  block_types?: Record<string, { nesting_mode: string; block: SchemaBlock }>;
}
interface ResourceSchema {
  version: number;
  block: SchemaBlock;
}
export type ProviderSchemas = Record<string, ResourceSchema>;

const AWS = 'registry.terraform.io/hashicorp/aws';

export function providerSchemas(work: OfflineWorkDir): ProviderSchemas {
  const r = work.run(['providers', 'schema', '-json']);
  if (r.status !== 0) throw new Error(`terraform providers schema failed:\n${r.stderr}`);
  const doc = JSON.parse(r.stdout) as { provider_schemas: Record<string, { resource_schemas: ProviderSchemas }> };
  return doc.provider_schemas[AWS].resource_schemas;
}

const SERVICE: Readonly<Record<string, string>> = {
  aws_lb: 'elasticloadbalancing',
  aws_lb_target_group: 'elasticloadbalancing',
  aws_lb_listener: 'elasticloadbalancing',
  aws_rds_cluster: 'rds',
  aws_rds_cluster_instance: 'rds',
  aws_kms_key: 'kms',
  aws_secretsmanager_secret: 'secretsmanager',
  aws_iam_role: 'iam',
  aws_cloudwatch_metric_alarm: 'cloudwatch',
};

function syntheticArn(type: string, name: string, values: Obj): string {
  const label = typeof values['name'] === 'string' ? values['name'] : name;
  if (type === 'aws_lb_target_group') return `arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/${label}/0123456789abcdef`;
  if (type === 'aws_lb') return `arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/${label}/0123456789abcdef`;
  return `arn:aws:${SERVICE[type] ?? type.replace(/^aws_/, '').split('_')[0]}:us-east-1:111111111111:${type.replace(/^aws_/, '')}/${label}`;
}

/** Computed string attributes other resources commonly reference: they get a synthetic value, never null. */
const REFERENCED = new Set(['name', 'endpoint', 'reader_endpoint', 'dns_name', 'zone_id', 'arn_suffix', 'key_id', 'cluster_resource_id', 'hosted_zone_id', 'unique_id']);

function synthetic(ctyType: unknown, attr: string, type: string, name: string, values: Obj): unknown {
  const t = Array.isArray(ctyType) ? ctyType[0] : ctyType;
  switch (t) {
    case 'number':
    case 'bool':
    case 'object':
      return null;
    case 'list':
    case 'set':
      return [];
    case 'map':
      return {};
    default:
      if (attr === 'arn' || attr.endsWith('_arn')) return syntheticArn(type, name, values);
      if (attr === 'id' && typeof values['name'] === 'string' && type !== 'aws_lb' && type !== 'aws_lb_target_group') return values['name'];
      if (attr === 'id' || REFERENCED.has(attr)) return `fx-${name}-${attr}`;
      // Everything else AWS would compute and nobody references: null keeps Terraform from planning a change.
      return null;
  }
}

/** Fills every `true` in after_unknown with a synthetic value typed by the schema; recurses into nested blocks. */
function fill(values: Obj, unknown: unknown, block: SchemaBlock | undefined, type: string, name: string): Obj {
  if (!isObj(unknown)) return values;
  const out: Obj = { ...values };
  for (const [key, u] of Object.entries(unknown)) {
    if (u === true && block?.block_types?.[key]) {
      const mode = block.block_types[key].nesting_mode;
      out[key] = mode === 'list' || mode === 'set' ? [] : mode === 'map' ? {} : null;
    } else if (u === true) {
      out[key] = synthetic(block?.attributes?.[key]?.type, key, type, name, out);
    } else if (Array.isArray(u) && Array.isArray(out[key])) {
      const nested = block?.block_types?.[key]?.block;
      out[key] = (out[key] as unknown[]).map((item, i) => (isObj(item) ? fill(item, u[i], nested, type, name) : item));
    } else if (isObj(u) && isObj(out[key])) {
      out[key] = fill(out[key] as Obj, u, block?.block_types?.[key]?.block, type, name);
    }
  }
  return out;
}

interface PlanJson {
  terraform_version: string;
  planned_values?: { root_module?: { resources?: Array<{ address: string; mode: string; type: string; name: string; values: Obj }> } };
  resource_changes?: Array<{ address: string; mode: string; type: string; name: string; change: { actions: string[]; after: unknown; after_unknown?: unknown } }>;
}

interface StateResource {
  mode: string;
  type: string;
  name: string;
  provider: string;
  instances: Array<{ schema_version: number; attributes: Obj; sensitive_attributes: PathStep[][] }>;
}

export interface CraftedState {
  version: 4;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Obj;
  resources: StateResource[];
}

type PathStep = { type: 'get_attr'; value: string } | { type: 'index'; value: { value: number; type: 'number' } };

/**
 * `after_sensitive` ({ master_password: true, ... }) as state `sensitive_attributes` paths. Without them Terraform
 * sees a sensitivity change and plans an (invisible) in-place update forever.
 */
function sensitivePaths(marks: unknown, prefix: PathStep[]): PathStep[][] {
  if (marks === true) return [prefix];
  const out: PathStep[][] = [];
  if (Array.isArray(marks)) marks.forEach((m, i) => out.push(...sensitivePaths(m, [...prefix, { type: 'index', value: { value: i, type: 'number' } }])));
  else if (isObj(marks)) for (const [k, m] of Object.entries(marks)) out.push(...sensitivePaths(m, [...prefix, { type: 'get_attr', value: k }]));
  return out;
}

/** Applies a plan's results to a state "on paper": creates/updates/replacements take `after` (unknowns filled). */
export function applyOnPaper(state: CraftedState, plan: PlanJson, schemas: ProviderSchemas): CraftedState {
  const resources = new Map(state.resources.map((r) => [`${r.type}.${r.name}`, r]));
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== 'managed') continue;
    const key = `${rc.type}.${rc.name}`;
    if (rc.change.actions.includes('delete') && !rc.change.actions.includes('create')) {
      resources.delete(key);
      continue;
    }
    if (rc.change.actions.length === 1 && rc.change.actions[0] === 'no-op') continue;
    const schema = schemas[rc.type];
    const sensitive = sensitivePaths((rc.change as Obj)['after_sensitive'], []);
    const attributes = fill(isObj(rc.change.after) ? rc.change.after : {}, rc.change.after_unknown, schema?.block, rc.type, rc.name);
    resources.set(key, {
      mode: 'managed',
      type: rc.type,
      name: rc.name,
      provider: `provider["${AWS}"]`,
      instances: [{ schema_version: schema?.version ?? 0, attributes, sensitive_attributes: sensitive }],
    });
  }
  return { ...state, serial: state.serial + 1, terraform_version: plan.terraform_version, resources: [...resources.values()] };
}

export function emptyState(): CraftedState {
  return { version: 4, terraform_version: '', serial: 0, lineage: randomUUID(), outputs: {}, resources: [] };
}

function planJson(work: OfflineWorkDir): PlanJson & Obj {
  const planFile = join(work.dir, 'fixture.tfplan');
  const plan = work.run(['plan', '-refresh=false', '-lock=false', '-input=false', '-no-color', `-out=${planFile}`]);
  if (plan.status !== 0) throw new Error(`terraform plan failed:\n${plan.stderr || plan.stdout}`);
  const show = work.run(['show', '-json', planFile]);
  if (show.status !== 0) throw new Error(`terraform show -json failed:\n${show.stderr}`);
  return JSON.parse(show.stdout) as PlanJson & Obj;
}

/** The local state file the offline overlay points Terraform at. */
const STATE_FILE = 'offline.tfstate';

export function writeState(work: OfflineWorkDir, state: CraftedState): void {
  writeFileSync(join(work.dir, STATE_FILE), JSON.stringify(state, null, 2));
}

/**
 * Steps 1-3: builds a state in sync with the configuration currently in `work`, returns it with the number of
 * settle rounds. Throws when no fixpoint is reached in `maxRounds`.
 */
export function settleState(
  work: OfflineWorkDir,
  options: { initial?: CraftedState; maxRounds?: number } = {},
): { state: CraftedState; rounds: number } {
  const maxRounds = options.maxRounds ?? 4;
  let schemas: ProviderSchemas | undefined;
  let state = options.initial ?? emptyState();
  writeState(work, state);
  for (let round = 1; round <= maxRounds; round++) {
    const plan = planJson(work);
    const pending = (plan.resource_changes ?? []).filter((rc) => rc.mode === 'managed' && !(rc.change.actions.length === 1 && rc.change.actions[0] === 'no-op'));
    if (pending.length === 0) return { state, rounds: round - 1 };
    if (process.env.BLUEGREEN_DEBUG_FIXTURES === '1') {
      console.error(`round ${round}: ${pending.map((p) => `${p.address} ${p.change.actions.join('/')}`).join(', ')}`);
      const diff = (p: (typeof pending)[number]): string[] => {
        const b = (p.change as Obj)['before'];
        const a = p.change.after;
        if (!isObj(a) || !isObj(b)) return [];
        const u = (p.change as Obj)['after_unknown'];
        const unk = isObj(u) ? Object.keys(u).filter((k) => u[k] === true).map((k) => `${k}: ${JSON.stringify(b[k])} -> (unknown)`) : [];
        return [...unk, ...Object.keys(a).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).map((k) => `${k}: ${JSON.stringify(b[k])} -> ${JSON.stringify(a[k])}`)];
      };
      console.error(JSON.stringify(pending.map((p) => ({ a: p.address, r: (p.change as Obj)['replace_paths'], d: diff(p) }))));
    }
    schemas ??= providerSchemas(work);
    state = applyOnPaper(state, plan, schemas);
    writeState(work, state);
  }
  throw new Error(`crafted state did not settle in ${maxRounds} rounds`);
}

/** Step 4: replaces the configuration in `work` with another synthesized stack directory and plans it. */
export function planChangedConfig(work: OfflineWorkDir, stackDir: string): PlanJson & Obj {
  copyFileSync(join(stackDir, 'cdk.tf.json'), join(work.dir, 'cdk.tf.json'));
  return planJson(work);
}

/** Plans whatever configuration and state are in `work`. */
export function planNow(work: OfflineWorkDir): PlanJson & Obj {
  return planJson(work);
}
