/**
 * A summary of a Terraform v4 state: resources by top-level construct and colour, the live listener weights and the
 * databases. Never raw attributes (a state holds secrets). The listener's forward is read with plan-review's reader,
 * the same one the pull-request summary uses.
 */
import type { Colour } from '@bluegreen/contract';
import { colourOf as colourIn, forwardTargets, type WeightedTarget } from '@bluegreen/plan-review';
import { StateReadError } from './ports';

export interface StateResourceSummary {
  readonly address: string;
  readonly type: string;
  readonly colour?: Colour;
}

export interface StateListenerWeights {
  readonly address: string;
  readonly port?: number;
  readonly targets: readonly WeightedTarget[];
}

export interface DatabaseSummary {
  readonly address: string;
  readonly colour?: Colour;
  readonly identifier?: string;
  readonly endpoint?: string;
  readonly readerEndpoint?: string;
  readonly engine?: string;
  readonly engineVersion?: string;
  readonly instances: number;
}

export interface StateSummary {
  readonly terraformVersion?: string;
  readonly serial?: number;
  readonly resourceCount: number;
  readonly modules: Readonly<Record<string, readonly StateResourceSummary[]>>;
  readonly weights: readonly StateListenerWeights[];
  readonly databases: readonly DatabaseSummary[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Top-level construct of a cdktf resource name (`database-green_cluster_ABCD1234` → `database-green`). */
export function moduleOf(name: string): string {
  const i = name.indexOf('_');
  return i > 0 ? name.slice(0, i) : '(stack)';
}

function colourOf(...texts: Array<string | undefined>): Colour | undefined {
  for (const t of texts) {
    const c = t ? colourIn(t) : undefined;
    if (c === 'blue' || c === 'green') return c;
  }
  return undefined;
}

interface StateDoc {
  version?: number;
  terraform_version?: string;
  serial?: number;
  resources?: Array<{ mode?: string; type?: string; name?: string; module?: string; instances?: Array<{ attributes?: Obj; index_key?: unknown }> }>;
}

export function summarizeState(text: string): StateSummary {
  let doc: StateDoc;
  try {
    doc = JSON.parse(text) as StateDoc;
  } catch (err) {
    throw new StateReadError(`state is not JSON: ${(err as Error).message}`);
  }
  if (!isObj(doc) || doc.version !== 4 || !Array.isArray(doc.resources)) {
    throw new StateReadError(`state: version: must be a Terraform v4 state with resources[], got version ${JSON.stringify(isObj(doc) ? doc.version : doc)}`);
  }
  const modules: Record<string, StateResourceSummary[]> = {};
  const tgLabels = new Map<string, string>();
  const managed = doc.resources.filter((r) => r.mode === 'managed' && r.type && r.name);
  for (const r of managed) {
    if (r.type !== 'aws_lb_target_group') continue;
    for (const inst of r.instances ?? []) {
      const a = inst.attributes ?? {};
      const arn = str(a['arn']);
      if (arn) tgLabels.set(arn, colourOf(str(a['name']), r.name) ?? str(a['name']) ?? r.name ?? arn);
    }
  }
  const weights: StateListenerWeights[] = [];
  const databases: DatabaseSummary[] = [];
  const instancesPerCluster = new Map<string, number>();
  let count = 0;
  for (const r of managed) {
    const type = r.type as string;
    const name = r.name as string;
    const module = r.module ? `${r.module}.${moduleOf(name)}` : moduleOf(name);
    for (const inst of r.instances ?? []) {
      count += 1;
      const a = inst.attributes ?? {};
      const suffix = inst.index_key === undefined ? '' : `[${JSON.stringify(inst.index_key)}]`;
      const address = `${r.module ? `${r.module}.` : ''}${type}.${name}${suffix}`;
      const colour = colourOf(str(a['name']), str(a['cluster_identifier']), str(a['identifier']), module, name);
      (modules[module] ??= []).push({ address, type, ...(colour ? { colour } : {}) });
      if (type === 'aws_lb_listener') {
        const targets = forwardTargets(a, tgLabels);
        if (targets.length > 0) weights.push({ address, ...(typeof a['port'] === 'number' ? { port: a['port'] } : {}), targets });
      }
      if (type === 'aws_rds_cluster') {
        const version = str(a['engine_version_actual']) ?? str(a['engine_version']);
        databases.push({
          address,
          ...(colour ? { colour } : {}),
          ...(str(a['cluster_identifier']) ? { identifier: str(a['cluster_identifier']) } : {}),
          ...(str(a['endpoint']) ? { endpoint: str(a['endpoint']) } : {}),
          ...(str(a['reader_endpoint']) ? { readerEndpoint: str(a['reader_endpoint']) } : {}),
          ...(str(a['engine']) ? { engine: str(a['engine']) } : {}),
          ...(version ? { engineVersion: version } : {}),
          instances: 0,
        });
      }
      if (type === 'aws_rds_cluster_instance') {
        const cluster = str(a['cluster_identifier']) ?? '';
        instancesPerCluster.set(cluster, (instancesPerCluster.get(cluster) ?? 0) + 1);
      }
    }
  }
  for (const list of Object.values(modules)) list.sort((x, y) => (x.address < y.address ? -1 : 1));
  return {
    ...(typeof doc.terraform_version === 'string' ? { terraformVersion: doc.terraform_version } : {}),
    ...(typeof doc.serial === 'number' ? { serial: doc.serial } : {}),
    resourceCount: count,
    modules: Object.fromEntries(Object.entries(modules).sort(([x], [y]) => x.localeCompare(y))),
    weights,
    databases: databases.map((d) => ({ ...d, instances: instancesPerCluster.get(d.identifier ?? '') ?? 0 })),
  };
}

export interface Painter {
  blue(s: string): string;
  green(s: string): string;
  bold(s: string): string;
}

export function formatStateText(summary: StateSummary, where: string, colors?: Painter): string {
  const paint = (c: Colour | undefined, s: string) => (colors && c ? colors[c](s) : s);
  const bold = (s: string) => (colors ? colors.bold(s) : s);
  const lines = [bold(`State ${where}`) + `  (serial ${summary.serial ?? '?'}, terraform ${summary.terraformVersion ?? '?'}, ${summary.resourceCount} resource instance(s))`, ''];
  lines.push(bold('Live weights'));
  if (summary.weights.length === 0) lines.push('  (no weighted listener in state)');
  for (const w of summary.weights) {
    lines.push(`  ${w.address}${w.port ? ` :${w.port}` : ''}  ${w.targets.map((t) => paint(colourOf(t.label), `${t.label} ${t.weight}`)).join(', ')}`);
  }
  lines.push('', bold('Databases'));
  if (summary.databases.length === 0) lines.push('  (no Aurora cluster in state)');
  for (const d of summary.databases) {
    lines.push(`  ${paint(d.colour, d.colour ?? '-')}  ${d.identifier ?? d.address}  ${d.engine ?? '?'} ${d.engineVersion ?? '?'}  ${d.instances} instance(s)`);
    lines.push(`      writer ${d.endpoint ?? '?'}`);
    if (d.readerEndpoint) lines.push(`      reader ${d.readerEndpoint}`);
  }
  lines.push('', bold('Resources by module'));
  for (const [module, resources] of Object.entries(summary.modules)) {
    const byColour = (c: Colour) => resources.filter((r) => r.colour === c).length;
    lines.push(`  ${bold(module)} (${resources.length}: ${paint('blue', `blue ${byColour('blue')}`)}, ${paint('green', `green ${byColour('green')}`)})`);
    for (const r of resources) lines.push(`    ${paint(r.colour, r.colour ? r.colour.padEnd(5) : '     ')} ${r.address}`);
  }
  return `${lines.join('\n')}\n`;
}
