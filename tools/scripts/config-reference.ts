/**
 * `npm run docs:config`: writes docs/config-reference.md, every setting of an environment.yaml with its type,
 * whether it is required, and its default, read from the zod schema itself (so the table cannot drift from what
 * the validator accepts). Comments in libs/shared/config/src/lib/sections/*.ts say what each setting means.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { environmentSchema } from '@bluegreen/config';

const configSrc = join(resolve(__dirname, '..', '..'), 'libs', 'shared', 'config', 'src', 'lib');

/** `/** text *\/` comments directly above `key:` in a source file, by key (first wins), `@default` stripped. */
function docComments(file: string): Map<string, string> {
  const docs = new Map<string, string>();
  if (!existsSync(file)) return docs;
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*\n\s*([A-Za-z][A-Za-z0-9]*)\s*:/g)) {
    const doc = m[1]
      .split('\n')
      .map((l) => l.replace(/^\s*\*\s?/, '').trim())
      .join(' ')
      .replace(/@default\s+.*$/, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (doc && !docs.has(m[2])) docs.set(m[2], doc);
  }
  return docs;
}

const SECTION_FILES: Record<string, string> = { loadBalancer: 'compute' };

function describeSetting(path: string): string {
  const parts = path.replace(/ \(form \d+\)/g, '').split('.');
  const key = parts[parts.length - 1];
  const file = parts.length === 1 ? join(configSrc, 'environment.ts') : join(configSrc, 'sections', `${SECTION_FILES[parts[0]] ?? parts[0]}.ts`);
  return (docComments(file).get(key) ?? '').replace(/\|/g, '\\|');
}

interface Row {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly default?: unknown;
}

interface Def {
  type: string;
  shape?: Record<string, { _zod: { def: Def } }>;
  innerType?: { _zod: { def: Def } };
  element?: { _zod: { def: Def } };
  options?: { _zod: { def: Def } }[];
  entries?: Record<string, string>;
  values?: unknown[];
  defaultValue?: unknown;
  keyType?: { _zod: { def: Def } };
  valueType?: { _zod: { def: Def } };
  in?: { _zod: { def: Def } };
}

const defOf = (s: { _zod: { def: Def } }): Def => s._zod.def;

function typeName(d: Def): string {
  switch (d.type) {
    case 'default':
    case 'optional':
    case 'prefault':
    case 'nullable':
    case 'readonly':
      return d.innerType ? typeName(defOf(d.innerType)) : d.type;
    case 'pipe':
      return d.in ? typeName(defOf(d.in)) : 'value';
    case 'array':
      return d.element ? `list of ${typeName(defOf(d.element))}` : 'list';
    case 'enum':
      return Object.values(d.entries ?? {}).map((v) => `\`${v}\``).join(' \\| ');
    case 'literal':
      return (d.values ?? []).map((v) => `\`${String(v)}\``).join(' \\| ');
    case 'union':
      return (d.options ?? []).map((o) => typeName(defOf(o))).join(' \\| ');
    case 'record':
      return `map of ${d.valueType ? typeName(defOf(d.valueType)) : 'value'}`;
    case 'object':
      return 'object';
    default:
      return d.type;
  }
}

function walk(d: Def, path: string, required: boolean, rows: Row[], defaultValue?: unknown): void {
  if (d.type === 'default' || d.type === 'prefault') {
    const value = typeof d.defaultValue === 'function' ? (d.defaultValue as () => unknown)() : d.defaultValue;
    if (d.innerType) walk(defOf(d.innerType), path, false, rows, value);
    return;
  }
  if (d.type === 'optional') {
    if (d.innerType) walk(defOf(d.innerType), path, false, rows, defaultValue);
    return;
  }
  if (d.type === 'object' && d.shape) {
    if (path) rows.push({ path, type: 'object', required, default: defaultValue === undefined ? undefined : SEE_BELOW });
    for (const [key, child] of Object.entries(d.shape)) walk(defOf(child), path ? `${path}.${key}` : key, true, rows);
    return;
  }
  if (d.type === 'union' && d.options?.every((o) => defOf(o).type === 'object')) {
    rows.push({ path, type: 'one of the forms below', required, default: defaultValue });
    d.options.forEach((o, i) => walk(defOf(o), `${path} (form ${i + 1})`, true, rows));
    return;
  }
  rows.push({ path, type: typeName(d), required, default: defaultValue });
}

const SEE_BELOW = Symbol('see below');

export function configReferenceRows(): Row[] {
  const rows: Row[] = [];
  walk(defOf(environmentSchema as unknown as { _zod: { def: Def } }), '', true, rows);
  return rows;
}

export function configReferenceMarkdown(): string {
  const show = (v: unknown) => (v === undefined ? '' : v === SEE_BELOW ? 'see below' : `\`${JSON.stringify(v)}\``.replace(/\|/g, '\\|'));
  const lines = [
    '# Environment config reference',
    '',
    'Generated from the validator itself (`npm run docs:config`); every `apps/<env>/environment.yaml` setting, its type,',
    'and its default. What a setting means is documented next to it in `libs/shared/config/src/lib/sections/*.ts`. Unknown keys',
    'are refused; cross-field rules (CIDRs inside the VPC and not overlapping, weights summing to 100, production keeping',
    'deletion protection unless `allowUnprotectedProduction.reason` says why, …) are in `libs/shared/config/src/lib/environment.ts`.',
    '',
    '"required" is within the parent: `allowUnprotectedProduction.reason` is required once `allowUnprotectedProduction` is set.',
    '',
    '| setting | type | required | default | meaning |',
    '|---|---|---|---|---|',
    ...configReferenceRows().map((r) => `| \`${r.path}\` | ${r.type} | ${r.required ? 'yes' : 'no'} | ${show(r.default)} | ${describeSetting(r.path)} |`),
    '',
  ];
  return lines.join('\n');
}

if (require.main === module) {
  const file = join(resolve(__dirname, '..', '..'), 'docs', 'config-reference.md');
  writeFileSync(file, configReferenceMarkdown());
  console.log(`wrote ${file} (${configReferenceRows().length} settings)`);
}
