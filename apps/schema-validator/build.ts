/**
 * Bundles the schema-validator Lambda with esbuild: one minified CommonJS file with `pg`, pino, the schema-compat
 * library and the Amazon RDS CA bundle inside; the AWS SDK v3 is left to the Lambda runtime (nodejs22.x ships it).
 * The target is the runtime's Node.js major (`VALIDATOR_BUNDLE_TARGET`, declared once with the runtime).
 *
 *   npx nx build schema-validator        (or: npx tsx apps/schema-validator/build.ts [outDir])
 *
 * The output directory (default dist/apps/schema-validator, handler `index.handler`) is what the
 * SchemaValidatorFunction construct zips.
 */
import { build, type Metafile } from 'esbuild';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { VALIDATOR_BUNDLE_TARGET } from '@bluegreen/contract';

const REPO_ROOT = resolve(__dirname, '..', '..');

export interface BundleResult {
  readonly outDir: string;
  readonly file: string;
  readonly bytes: number;
  readonly metafile: Metafile;
}

/**
 * Builds the bundle into `outDir` (relative to the repository root). The new index.js replaces the old one in one
 * rename, so a synth running at the same time (another app's `cdktf synth`, a test) zips either the old or the new
 * bundle, never a half-written or missing one; anything else left in the folder is removed.
 */
export async function buildValidatorBundle(outDir = 'dist/apps/schema-validator'): Promise<BundleResult> {
  const dir = resolve(REPO_ROOT, outDir);
  mkdirSync(dirname(dir), { recursive: true });
  const staging = mkdtempSync(join(dirname(dir), '.schema-validator-build-'));
  try {
    const result = await bundle(join(staging, 'index.js'));
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'index.js');
    renameSync(join(staging, 'index.js'), file);
    for (const entry of readdirSync(dir)) if (entry !== 'index.js') rmSync(join(dir, entry), { recursive: true, force: true });
    return { outDir: dir, file, bytes: statSync(file).size, metafile: result.metafile };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function bundle(outfile: string) {
  return build({
    entryPoints: [join(__dirname, 'src', 'handler.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: VALIDATOR_BUNDLE_TARGET,
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    tsconfig: join(__dirname, 'tsconfig.json'),
    // pg-native is an optional native driver pg only loads on request; the SDK v3 is provided by the runtime.
    external: ['pg-native', '@aws-sdk/*'],
    // pg probes for Cloudflare Workers at load time with `new Response(...)`, which makes Node load its whole
    // fetch implementation (undici): ~30-40 ms of every cold start. The bundle never uses fetch, so the probe is
    // answered statically (this replaces the identifier only inside our bundle, not in the runtime's SDK).
    define: { Response: 'undefined' },
    metafile: true,
    logLevel: 'warning',
  });
}

if (require.main === module) {
  buildValidatorBundle(process.argv[2])
    .then((r) => console.log(`schema-validator bundle: ${r.file} (${(r.bytes / 1024).toFixed(1)} KiB)`))
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
