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

const SERVICE_ENTRY =
  'One service, named by its key: lowercase words joined by hyphens (`payments`, `order-history`), the same in every environment. The name goes into its resource names (unless `unqualifiedNames`), its alarms, its image repository `ecr-<name>-<suffix>` and the commands (`--service <name>`).';

/** Where a top-level section's settings are documented, in the order to look (a service's colours live in compute.ts). */
const SECTION_FILES: Record<string, readonly string[]> = { loadBalancer: ['compute'], services: ['services', 'compute', 'traffic', 'monitoring'] };

function describeSetting(path: string): string {
  const parts = path.replace(/ \(form \d+\)/g, '').split('.');
  const key = parts[parts.length - 1];
  if (key === '<name>') return SERVICE_ENTRY;
  const files = parts.length === 1 ? [join(configSrc, 'environment.ts')] : (SECTION_FILES[parts[0]] ?? [parts[0]]).map((f) => join(configSrc, 'sections', `${f}.ts`));
  const doc = files.map((f) => docComments(f).get(key)).find((d) => d !== undefined);
  return (doc ?? '').replace(/\|/g, '\\|');
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
  // A map of named entries (services): one row for the map, then the settings of each entry under `<name>`.
  if (d.type === 'record' && d.valueType && defOf(d.valueType).type === 'object') {
    rows.push({ path, type: 'map of name to object', required, default: defaultValue });
    walk(defOf(d.valueType), `${path}.<name>`, true, rows);
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
    '## Services',
    '',
    '`services` lists what runs behind the load balancer, by name: each service has its own blue/green pair, routing,',
    'weights and stages (`services.<name>.traffic`), alarm thresholds where they differ from `monitoring.thresholds`,',
    'and the database schema it owns. Exactly one service is the default route (`routing: { default: true }`: the',
    "listeners' default action, everything no rule matches); every other one has a listener rule with path patterns",
    'and/or host headers and an explicit priority. Refused, by field and all at once: no service, none or two defaults,',
    'a priority, path pattern or host header taken twice, a schema owned by two services, more than five path patterns',
    'and host headers in one rule, and a name too long for AWS once named `{type}-{suffix}` (the target group',
    '`tg-<name>-green-<suffix>` has at most 32 characters). Commands that act on one service take `--service <name>`;',
    'it is required when the environment has more than one. See docs/carving-a-service.md.',
    '',
    '```yaml',
    'services:',
    '  monolith:',
    '    routing: { default: true }',
    '    unqualifiedNames: true      # keeps the names the environment had with one service',
    '    databaseSchema: public',
    '    blue: { image: registry.example.com/app:2.3.1, desiredCount: 2 }',
    '    green: { image: registry.example.com/app:2.4.0, desiredCount: 2 }',
    '    traffic: { live: blue, blue: 100, green: 0 }',
    '  catalog:',
    '    routing: { pathPatterns: [/catalog, /catalog/*], priority: 100 }',
    '    databaseSchema: catalog',
    '    blue: { image: registry.example.com/catalog:1f3c2a9, desiredCount: 1 }',
    '    green: { image: registry.example.com/catalog:1f3c2a9, desiredCount: 1 }',
    '    traffic: { live: blue, blue: 100, green: 0 }',
    '    thresholds: { p95LatencySeconds: 0.5 }',
    '```',
    '',
    'A config from before services (top-level `compute` and `traffic`) is refused with where each setting moved: the',
    'one service becomes `services.monolith` with `unqualifiedNames: true` and `routing: { default: true }`, `compute.*`',
    'moves into it unchanged and `traffic` becomes `services.monolith.traffic`.',
    '',
    '## Every setting',
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
