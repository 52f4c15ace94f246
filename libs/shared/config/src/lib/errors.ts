import type { z } from 'zod';

export interface ConfigProblem {
  /** Dotted path of the field, e.g. `traffic.green` or `network.privateSubnetCidrs.1`. */
  readonly field: string;
  /** What is wrong, ending in `got <value>` where a value was given. */
  readonly message: string;
}

/** Thrown when a config is invalid; lists every problem, one per line, by field. */
export class ConfigValidationError extends Error {
  constructor(
    public readonly source: string,
    public readonly problems: readonly ConfigProblem[],
  ) {
    super(`Invalid configuration in ${source} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p.field}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): { found: boolean; value?: unknown } {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !(key in (cur as object))) return { found: false };
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value: cur };
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  // JSON has no Infinity or NaN (JSON.stringify says null): `1e309` in YAML is Infinity.
  if (typeof value === 'number' && !Number.isFinite(value)) return `${String(value)} (not a finite number)`;
  if (value === undefined) return 'nothing';
  // JSON.stringify says undefined for what JSON cannot hold (a function, a symbol): never let that throw here.
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Turns zod issues into `field: must …, got …` lines. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const field = issue.path.map(String).join('.') || '(root)';
    const at = valueAt(input, issue.path);
    const got = at.found ? `, got ${show(at.value)}` : '';
    let message: string;
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          problems.push({ field: field === '(root)' ? key : `${field}.${key}`, message: 'is not a known setting (check the spelling against the config reference)' });
        }
        continue;
      case 'invalid_type':
        if (at.found && typeof at.value === 'number' && !Number.isFinite(at.value)) message = `must be a finite number${got}`;
        else message = at.found && at.value !== undefined ? `must be ${issue.expected}${got}` : `is required (${issue.expected})`;
        break;
      case 'too_big':
        if (issue.message.startsWith('must ')) {
          message = `${issue.message}${got}`;
          break;
        }
        message = issue.origin === 'array' ? `must have at most ${issue.maximum} items, got ${(at.value as unknown[]).length}` : `must be at most ${issue.maximum}${got}`;
        break;
      case 'too_small':
        if (issue.message.startsWith('must ')) {
          message = `${issue.message}${got}`;
        } else if (issue.origin === 'array') {
          const n = Array.isArray(at.value) ? at.value.length : 0;
          message = issue.exact ? `must have exactly ${issue.minimum} items, got ${n}` : `must have at least ${issue.minimum} items, got ${n}`;
        } else if (issue.origin === 'string') {
          message = `must be at least ${issue.minimum} characters${got}`;
        } else {
          message = `must be at least ${issue.minimum}${got}`;
        }
        break;
      case 'invalid_value':
        message = at.found
          ? `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${got}`
          : `is required (one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')})`;
        break;
      case 'invalid_union':
        message = `does not match any allowed form${got}`;
        break;
      case 'custom':
        // Custom messages from cross-field checks already carry their own "got".
        message = /, got |got \S/.test(issue.message) ? issue.message : `${issue.message}${got}`;
        break;
      default:
        message = `${issue.message}${got}`;
    }
    problems.push({ field, message });
  }
  return problems;
}
