/**
 * The schema validator's verdict, read from its raw answer (pure; the invocation is a {@link ValidatorPort}).
 */
import type { ValidatorResponse } from './ports';

export interface ValidatorVerdict {
  /** true: the old application version keeps working on the new schema. */
  readonly compatible: boolean;
  /** Short lines the validator gave (breaking changes, warnings). */
  readonly details: readonly string[];
}

/** Thrown when the validator could not give a verdict (function error, bad payload): the gate fails closed. */
export class ValidatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidatorError';
  }
}

const asLines = (v: unknown): string[] =>
  Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : typeof x === 'object' && x && 'message' in x ? String((x as { message: unknown }).message) : JSON.stringify(x))) : [];

interface ValidatorPayload {
  ok?: boolean;
  compatible?: unknown;
  errorType?: string;
  message?: string;
  changes?: unknown;
  breaking?: unknown;
  warnings?: unknown;
  errors?: unknown;
}

const changeLines = (v: unknown): string[] =>
  Array.isArray(v)
    ? v
        .filter((c) => c && typeof c === 'object' && (c as { compatibility?: unknown }).compatibility !== 'compatible')
        .map((c) => {
          const x = c as { compatibility?: string; kind?: string; object?: string; detail?: string };
          return `${x.compatibility ?? '?'}: ${x.kind ?? '?'} ${x.object ?? '?'}${x.detail ? ` (${x.detail})` : ''}`;
        })
    : [];

/**
 * Reads the validator's answer (apps/schema-validator; RequestResponse):
 *   `{ ok: true, compatible, changes: [{ kind, object, compatibility, detail }], … }`  -> a verdict;
 *   `{ ok: false, errorType, message, … }`                                          -> ValidatorError (could not check).
 * Also accepted: `{ compatible, breaking?, warnings? }` and an API-style `{ body }` wrapper. A FunctionError, a
 * non-2xx status or a payload without a boolean `compatible` is a ValidatorError, never a pass.
 */
export function parseValidatorResponse(functionName: string, res: ValidatorResponse): ValidatorVerdict {
  const text = res.payload;
  if (res.functionError) throw new ValidatorError(`validator ${functionName} failed (${res.functionError}): ${text.slice(0, 500)}`);
  if (res.statusCode !== undefined && (res.statusCode < 200 || res.statusCode > 299)) throw new ValidatorError(`validator ${functionName} returned status ${res.statusCode}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
    if (body && typeof body === 'object' && 'body' in body) {
      const inner = (body as { body: unknown }).body;
      body = typeof inner === 'string' ? JSON.parse(inner) : inner;
    }
  } catch {
    throw new ValidatorError(`validator ${functionName} returned a payload that is not JSON: ${text.slice(0, 200)}`);
  }
  if (!body || typeof body !== 'object') throw new ValidatorError(`validator ${functionName} returned no verdict: ${text.slice(0, 200)}`);
  const b = body as ValidatorPayload;
  if (b.ok === false) throw new ValidatorError(`validator ${functionName} could not check (${b.errorType ?? 'unknown error'}): ${b.message ?? text.slice(0, 200)}`);
  if (typeof b.compatible !== 'boolean') throw new ValidatorError(`validator ${functionName} returned no boolean 'compatible': ${text.slice(0, 200)}`);
  return { compatible: b.compatible, details: [...changeLines(b.changes), ...asLines(b.breaking), ...asLines(b.errors), ...asLines(b.warnings)] };
}
