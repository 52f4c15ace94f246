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
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VALIDATOR_BUNDLE_TARGET } from '@bluegreen/contract';

const REPO_ROOT = resolve(__dirname, '..', '..');

export interface BundleResult {
  readonly outDir: string;
  readonly file: string;
  readonly bytes: number;
  readonly metafile: Metafile;
}

export async function buildValidatorBundle(outDir = 'dist/apps/schema-validator'): Promise<BundleResult> {
  const dir = resolve(REPO_ROOT, outDir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.js');
  const result = await build({
    entryPoints: [join(__dirname, 'src', 'handler.ts')],
    outfile: file,
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
  return { outDir: dir, file, bytes: statSync(file).size, metafile: result.metafile };
}

if (require.main === module) {
  buildValidatorBundle(process.argv[2])
    .then((r) => console.log(`schema-validator bundle: ${r.file} (${(r.bytes / 1024).toFixed(1)} KiB)`))
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
