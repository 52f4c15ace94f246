/**
 * Finds the offline filesystem mirror of the hashicorp/aws provider (the directory that contains
 * `registry.terraform.io/`). Never a hard-coded path; in order:
 *
 * 1. `BLUEGREEN_TF_PROVIDER_MIRROR` (must hold the provider, or this throws: a wrong setting is a bug);
 * 2. a `filesystem_mirror` in the CLI config file named by `TF_CLI_CONFIG_FILE`, when that file exists;
 * 3. Terraform's implied local mirror directories (~/.terraform.d/plugins, XDG data dirs, …);
 * 4. the answer cached by an earlier search (node_modules/.cache/bluegreen/tf-provider-mirror.json);
 * 5. a bounded search of the filesystem for `terraform-provider-aws_v<version>*` (result cached).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { cacheDir } from './paths';

export const AWS_PROVIDER_VERSION = '5.100.0';
export const MIRROR_ENV = 'BLUEGREEN_TF_PROVIDER_MIRROR';

export interface ProviderMirror {
  /** The mirror directory (contains `registry.terraform.io/`). */
  readonly path: string;
  /** Where the answer came from. */
  readonly source: 'env' | 'cli-config' | 'implied' | 'cache' | 'search';
}

const PROVIDER_DIR = ['registry.terraform.io', 'hashicorp', 'aws'];

/** True when `dir` holds hashicorp/aws at `version`, unpacked (`<version>/<os_arch>/terraform-provider-aws_v…`) or packed (zip). */
export function mirrorHoldsProvider(dir: string, version = AWS_PROVIDER_VERSION): boolean {
  const aws = join(dir, ...PROVIDER_DIR);
  try {
    const unpacked = join(aws, version);
    if (existsSync(unpacked)) {
      for (const platform of readdirSync(unpacked)) {
        if (readdirSync(join(unpacked, platform)).some((f) => f.startsWith(`terraform-provider-aws_v${version}`))) return true;
      }
    }
    return readdirSync(aws).some((f) => f.startsWith(`terraform-provider-aws_${version}_`) && f.endsWith('.zip'));
  } catch {
    return false;
  }
}

function fromCliConfig(): string | undefined {
  const file = process.env.TF_CLI_CONFIG_FILE;
  if (!file || !existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/filesystem_mirror\s*\{[^}]*?path\s*=\s*"([^"]+)"/g)) {
    if (mirrorHoldsProvider(m[1])) return m[1];
  }
  return undefined;
}

function impliedDirs(): string[] {
  const xdg = (process.env.XDG_DATA_DIRS ?? '/usr/local/share:/usr/share').split(':').filter(Boolean);
  const dataHome = process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share');
  return [join(homedir(), '.terraform.d', 'plugins'), join(dataHome, 'terraform', 'plugins'), ...xdg.map((d) => join(d, 'terraform', 'plugins'))];
}

const SKIP = new Set(['/proc', '/sys', '/dev', '/run', '/tmp', '/var/lib/docker', '/snap']);
const SKIP_NAMES = new Set(['node_modules', '.git', '.nx', '.cache', 'cdktf.out', '.terraform']);

/**
 * Breadth-first search for a directory named `registry.terraform.io` that holds the provider, at most
 * `maxDepth` levels below `/` and `maxEntries` directory reads, so a big disk cannot hang a test run.
 */
export function searchForMirror(root = '/', maxDepth = 6, maxEntries = 50_000): string | undefined {
  let queue: string[] = [root];
  let reads = 0;
  for (let depth = 0; depth <= maxDepth && queue.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of queue) {
      if (++reads > maxEntries) return undefined;
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (!e.isDirectory()) continue;
        const full = join(dir, e.name);
        if (SKIP.has(full) || SKIP_NAMES.has(e.name)) continue;
        if (e.name === 'registry.terraform.io' && mirrorHoldsProvider(dir)) return dir;
        next.push(full);
      }
    }
    queue = next;
  }
  return undefined;
}

function cacheFile(): string {
  return join(cacheDir(), 'tf-provider-mirror.json');
}

let memo: ProviderMirror | null | undefined;

/** Returns the provider mirror, or undefined when none is found (see the module doc for the order). */
export function discoverProviderMirror(options: { refresh?: boolean } = {}): ProviderMirror | undefined {
  if (memo !== undefined && !options.refresh) return memo ?? undefined;
  memo = find() ?? null;
  return memo ?? undefined;
}

function find(): ProviderMirror | undefined {
  const fromEnv = process.env[MIRROR_ENV];
  if (fromEnv) {
    if (!mirrorHoldsProvider(fromEnv)) {
      throw new Error(`${MIRROR_ENV}: must be a directory containing registry.terraform.io/hashicorp/aws/${AWS_PROVIDER_VERSION}, got ${JSON.stringify(fromEnv)}`);
    }
    return { path: fromEnv, source: 'env' };
  }
  const cli = fromCliConfig();
  if (cli) return { path: cli, source: 'cli-config' };
  const implied = impliedDirs().find((d) => mirrorHoldsProvider(d));
  if (implied) return { path: implied, source: 'implied' };
  try {
    const cached = JSON.parse(readFileSync(cacheFile(), 'utf8')) as { path?: string };
    if (cached.path && mirrorHoldsProvider(cached.path)) return { path: cached.path, source: 'cache' };
  } catch {
    // no cache yet
  }
  const found = searchForMirror();
  if (found) {
    try {
      mkdirSync(dirname(cacheFile()), { recursive: true });
      writeFileSync(cacheFile(), JSON.stringify({ path: found, foundAt: new Date().toISOString() }, null, 2));
    } catch {
      // a read-only cache is fine: we search again next time
    }
    return { path: found, source: 'search' };
  }
  return undefined;
}
