/**
 * The subset of `terraform show -json <planfile>` that the review reads (format_version 1.x).
 * https://developer.hashicorp.com/terraform/internals/json-format
 */
export type PlanAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

export interface PlanResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: unknown;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: readonly PlanAction[];
    readonly before: unknown;
    readonly after: unknown;
    readonly after_unknown?: unknown;
    readonly replace_paths?: ReadonlyArray<ReadonlyArray<string | number>>;
  };
}

export interface TerraformPlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly PlanResourceChange[];
  readonly output_changes?: Record<string, { readonly actions: readonly PlanAction[] }>;
  readonly prior_state?: unknown;
  readonly planned_values?: unknown;
  readonly errored?: boolean;
}

/** Thrown when the input is not a readable `terraform show -json` plan (the CLI maps it to exit 2). */
export class PlanInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanInputError';
  }
}

/** Parses and checks the shape of a plan JSON text; every problem names the field. */
export function parsePlanJson(text: string, source = 'plan'): TerraformPlanJson {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new PlanInputError(`${source}: not JSON (${(err as Error).message}); expected the output of \`terraform show -json <planfile>\``);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new PlanInputError(`${source}: expected a JSON object from \`terraform show -json <planfile>\`, got ${Array.isArray(doc) ? 'an array' : typeof doc}`);
  }
  const plan = doc as Record<string, unknown>;
  if (typeof plan['format_version'] !== 'string') {
    throw new PlanInputError(`${source}: format_version: must be a string (is this \`terraform show -json\` output?), got ${JSON.stringify(plan['format_version'])}`);
  }
  if (!/^1\.\d+$/.test(plan['format_version'])) {
    throw new PlanInputError(`${source}: format_version: must be 1.x, got ${JSON.stringify(plan['format_version'])}: could not review a plan format this review does not know (a newer Terraform?)`);
  }
  if (plan['errored'] === true) {
    throw new PlanInputError(`${source}: errored: true: could not review: terraform plan failed part-way, so the plan is incomplete and says nothing about what an apply would do; fix the errors and plan again`);
  }
  if (plan['complete'] === false) {
    throw new PlanInputError(`${source}: complete: false: could not review: the plan defers some changes to a later plan, so it does not show everything an apply would do`);
  }
  if (plan['planned_values'] === undefined && plan['resource_changes'] === undefined) {
    throw new PlanInputError(`${source}: resource_changes: missing (this looks like state, not a plan: run \`terraform show -json <planfile>\`)`);
  }
  const changes = plan['resource_changes'];
  if (changes !== undefined && !Array.isArray(changes)) {
    throw new PlanInputError(`${source}: resource_changes: must be an array, got ${typeof changes}`);
  }
  (changes as unknown[] | undefined)?.forEach((c, i) => {
    const rc = c as Partial<PlanResourceChange> | null;
    if (!rc || typeof rc.address !== 'string' || typeof rc.type !== 'string' || !rc.change || !Array.isArray(rc.change.actions)) {
      throw new PlanInputError(`${source}: resource_changes[${i}]: must have address, type and change.actions`);
    }
  });
  const incomplete = missingChanges(plan, changes as PlanResourceChange[] | undefined);
  if (incomplete) throw new PlanInputError(`${source}: resource_changes: could not review: ${incomplete}; the plan is incomplete (a truncated file?)`);
  return plan as unknown as TerraformPlanJson;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Managed resource addresses of a `planned_values`/`prior_state.values` module tree. */
function moduleAddresses(module: unknown, out = new Set<string>()): Set<string> {
  if (!isObj(module)) return out;
  for (const r of Array.isArray(module['resources']) ? module['resources'] : []) {
    if (isObj(r) && typeof r['address'] === 'string' && r['mode'] !== 'data') out.add(r['address']);
  }
  for (const child of Array.isArray(module['child_modules']) ? module['child_modules'] : []) moduleAddresses(child, out);
  return out;
}

/**
 * Why the plan says there are changes that `resource_changes` does not list, or undefined when it is consistent:
 * `applyable: true` with no change listed anywhere, or a resource planned or in prior state that has no entry.
 */
function missingChanges(plan: Obj, changes: PlanResourceChange[] | undefined): string | undefined {
  const listed = new Set((changes ?? []).map((c) => c.address));
  const anyChange = (changes ?? []).some((c) => c.change.actions.some((a) => a !== 'no-op' && a !== 'read'));
  const outputs = isObj(plan['output_changes']) ? Object.values(plan['output_changes']) : [];
  const anyOutput = outputs.some((o) => isObj(o) && Array.isArray(o['actions']) && o['actions'].some((a) => a !== 'no-op'));
  if (plan['applyable'] === true && !anyChange && !anyOutput) return 'the plan is applyable (it has changes to apply) but lists no resource or output change';
  const planned = moduleAddresses(isObj(plan['planned_values']) ? plan['planned_values']['root_module'] : undefined);
  const prior = moduleAddresses(isObj(plan['prior_state']) && isObj(plan['prior_state']['values']) ? plan['prior_state']['values']['root_module'] : undefined);
  const unlisted = [...new Set([...planned, ...prior])].filter((a) => !listed.has(a));
  if (unlisted.length > 0 && (changes === undefined || unlisted.some((a) => planned.has(a) !== prior.has(a)))) {
    const shown = unlisted.slice(0, 3).map((a) => JSON.stringify(a)).join(', ');
    return `${unlisted.length} resource(s) planned or in state have no entry (${shown}${unlisted.length > 3 ? ', …' : ''})`;
  }
  return undefined;
}
