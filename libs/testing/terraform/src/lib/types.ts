/** The parts of Terraform's machine-readable output the tests read (format_version 1.x). */

export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
}

export interface ValidateResult {
  readonly valid: boolean;
  readonly error_count: number;
  readonly warning_count: number;
  readonly diagnostics: readonly Diagnostic[];
}

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly mode: 'managed' | 'data';
  readonly change: {
    readonly actions: readonly string[];
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown> | null;
    readonly after_unknown?: Record<string, unknown>;
  };
}

export interface TerraformPlan {
  readonly format_version: string;
  readonly terraform_version: string;
  readonly resource_changes?: readonly ResourceChange[];
  readonly output_changes?: Record<string, { readonly actions: readonly string[]; readonly after: unknown; readonly after_unknown?: unknown }>;
  readonly planned_values?: Record<string, unknown>;
  readonly configuration?: Record<string, unknown>;
}

/** Resource changes of one type (managed resources only). */
export function changesOfType(plan: TerraformPlan, type: string): ResourceChange[] {
  return (plan.resource_changes ?? []).filter((c) => c.mode === 'managed' && c.type === type);
}

/** Count of planned resources by type, e.g. `{ aws_nat_gateway: 3, … }`. */
export function countByType(plan: TerraformPlan): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of plan.resource_changes ?? []) {
    if (c.mode === 'managed') counts[c.type] = (counts[c.type] ?? 0) + 1;
  }
  return counts;
}
