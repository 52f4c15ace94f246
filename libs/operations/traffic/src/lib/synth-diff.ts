import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Json = unknown;

export interface ResourceChange {
  /** `aws_lb_listener.compute_https_1A2B3C4D` */
  readonly address: string;
  readonly action: 'create' | 'delete' | 'update';
  /** Top-level attributes that differ (update only). */
  readonly attributes: readonly string[];
}

const same = (a: Json, b: Json): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Compares two synthesized Terraform JSON documents (`cdk.tf.json`) resource by resource, ignoring cdktf's
 * `//` metadata. What a reviewer would see in the plan, before any plan: a traffic shift must change only the
 * HTTPS listener's `default_action`.
 */
export function diffSynthesized(before: Json, after: Json): ResourceChange[] {
  const resources = (doc: Json) => ((doc as { resource?: Record<string, Record<string, Record<string, Json>>> }).resource ?? {});
  const a = resources(before);
  const b = resources(after);
  const changes: ResourceChange[] = [];
  for (const type of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const ra = a[type] ?? {};
    const rb = b[type] ?? {};
    for (const name of [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort()) {
      const address = `${type}.${name}`;
      if (!(name in rb)) changes.push({ address, action: 'delete', attributes: [] });
      else if (!(name in ra)) changes.push({ address, action: 'create', attributes: [] });
      else {
        const keys = [...new Set([...Object.keys(ra[name]), ...Object.keys(rb[name])])].filter((k) => k !== '//');
        const attributes = keys.filter((k) => !same(ra[name][k], rb[name][k])).sort();
        if (attributes.length > 0) changes.push({ address, action: 'update', attributes });
      }
    }
  }
  return changes;
}

/**
 * Synthesizes an environment app (`apps/<env>/main.ts`, which reads `environment.yaml` beside itself) with the
 * given config text, in a temp directory, through tsx with the workspace's path aliases. Returns each stack's
 * Terraform JSON by stack name. The repository's files are never touched.
 */
export async function synthesizeWithConfig(opts: { root: string; env: string; configText: string; timeoutMs?: number }): Promise<Record<string, Json>> {
  const dir = mkdtempSync(join(tmpdir(), `bluegreen-synth-${opts.env}-`));
  try {
    copyFileSync(join(opts.root, 'apps', opts.env, 'main.ts'), join(dir, 'main.ts'));
    writeFileSync(join(dir, 'environment.yaml'), opts.configText);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: join(opts.root, 'tsconfig.base.json'), include: ['*.ts'] }));
    const tsx = join(opts.root, 'node_modules', '.bin', 'tsx');
    if (!existsSync(tsx)) throw new Error(`cannot synthesize: ${tsx} not found (run npm ci)`);
    const out = join(dir, 'out');
    await new Promise<void>((resolve, reject) => {
      execFile(tsx, ['--tsconfig', join(dir, 'tsconfig.json'), join(dir, 'main.ts')], { cwd: dir, env: { ...process.env, CDKTF_OUTDIR: out }, timeout: opts.timeoutMs ?? 300_000, maxBuffer: 64 * 1024 * 1024 }, (err, _stdout, stderr) => {
        if (err) reject(new Error(`synth of ${opts.env} failed: ${(stderr || err.message).trim().split('\n').slice(-5).join(' | ')}`));
        else resolve();
      });
    });
    const stacks: Record<string, Json> = {};
    for (const name of readdirSync(join(out, 'stacks'))) stacks[name] = JSON.parse(readFileSync(join(out, 'stacks', name, 'cdk.tf.json'), 'utf8'));
    return stacks;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The synthesized HTTPS listener (port 443) of an app (`<appDir>/cdktf.out/stacks/*`), for the plan preview; undefined when not synthesized. */
export function synthesizedHttpsListener(appDir: string): string | undefined {
  const stacks = join(appDir, 'cdktf.out', 'stacks');
  if (!existsSync(stacks)) return undefined;
  for (const name of readdirSync(stacks)) {
    const file = join(stacks, name, 'cdk.tf.json');
    if (!existsSync(file)) continue;
    try {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { resource?: Record<string, Record<string, { port?: number }>> };
      for (const [id, l] of Object.entries(json.resource?.aws_lb_listener ?? {})) if (l.port === 443) return `aws_lb_listener.${id}`;
    } catch {
      // an unreadable synth output only means no preview
    }
  }
  return undefined;
}
