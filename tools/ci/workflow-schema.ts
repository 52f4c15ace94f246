/**
 * The GitHub Actions workflow JSON schema (SchemaStore's `github-workflow.json`, Apache-2.0) and an ajv validator.
 *
 * Where the schema comes from: no npm package ships it as a JSON file (`@schemastore/github-workflow` has only
 * TypeScript types). `@action-validator/core` (pinned devDependency, GPL-3.0, used here as a tool, not linked into
 * anything we ship) embeds SchemaStore's schema text verbatim in its WebAssembly module to validate workflows. We read
 * that exact text out of the installed package, so the schema is pinned by package-lock.json and nothing is vendored;
 * `validateWithActionValidator` runs the package's own validator as a second opinion.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

export const WORKFLOW_SCHEMA_ID = 'https://json.schemastore.org/github-workflow.json';

/** Reads the JSON object that contains `"$id": "<id>"` out of a larger text (brace matching, strings respected). */
export function extractJsonObject(text: string, id: string): unknown {
  const marker = text.indexOf(`"$id": "${id}"`);
  if (marker < 0) throw new Error(`schema ${id} not found`);
  // The object starts at the nearest unmatched "{" before the marker: scan back to a line that is exactly "{".
  const start = text.lastIndexOf('\n{\n', marker) + 1;
  if (start <= 0) throw new Error(`schema ${id}: cannot find the start of its object`);
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return JSON.parse(text.slice(start, i + 1));
  }
  throw new Error(`schema ${id}: unterminated object`);
}

let memo: Record<string, unknown> | undefined;

export function loadGithubWorkflowSchema(): Record<string, unknown> {
  if (memo) return memo;
  const pkg = dirname(require.resolve('@action-validator/core/package.json'));
  const wasm = readFileSync(join(pkg, 'action_validator_bg.wasm')).toString('latin1');
  memo = extractJsonObject(wasm, WORKFLOW_SCHEMA_ID) as Record<string, unknown>;
  return memo;
}

export interface WorkflowCheck {
  readonly valid: boolean;
  readonly errors: readonly string[];
}

let compiled: ReturnType<Ajv['compile']> | undefined;

/** Validates a workflow (YAML text) against the SchemaStore schema with ajv. */
export function validateWorkflowYaml(yamlText: string): WorkflowCheck {
  if (!compiled) {
    // SchemaStore schemas use a few non-standard keywords (e.g. markdownDescription): strict mode off.
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    compiled = ajv.compile(loadGithubWorkflowSchema());
  }
  const doc = parse(yamlText) as unknown;
  const valid = compiled(doc) as boolean;
  const errors = (compiled.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  return { valid, errors };
}

/** The validator of @action-validator/core itself (schema + its own checks). */
export function validateWithActionValidator(yamlText: string): WorkflowCheck {
  const { validateWorkflow } = require('@action-validator/core') as { validateWorkflow(src: string): { errors: Array<{ title: string; detail?: string; path?: string }> } };
  const state = validateWorkflow(yamlText);
  return { valid: state.errors.length === 0, errors: state.errors.map((e) => `${e.path ?? ''} ${e.title}${e.detail ? `: ${e.detail}` : ''}`) };
}
