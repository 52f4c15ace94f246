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
  if (!/^1\./.test(plan['format_version'])) {
    throw new PlanInputError(`${source}: format_version: must be 1.x, got ${JSON.stringify(plan['format_version'])}`);
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
  return plan as unknown as TerraformPlanJson;
}
