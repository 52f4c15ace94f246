'use strict';
// Builds the `bluegreen` bundle: apps/cli/src/main.ts and the workspace libraries it uses, in one CommonJS file,
// with npm packages left to node_modules (loaded only by the command that needs them). Run by the root `prepare`
// script (so `npm ci` leaves a ready CLI) and by bin/bluegreen.js when the bundle is missing or older than a source.
const fs = require('node:fs');
const path = require('node:path');

const CLI = path.join(__dirname, '..');
const ROOT = path.join(CLI, '..', '..');
const OUT_DIR = path.join(CLI, 'dist');
const BUNDLE = path.join(OUT_DIR, 'bluegreen.cjs');
/** The workspace files the bundle was built from and when: bin/bluegreen.js rebuilds when one is newer. */
const MANIFEST = path.join(OUT_DIR, 'bluegreen.inputs.json');

function options() {
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return {
    absWorkingDir: ROOT,
    entryPoints: [path.join(CLI, 'src', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    tsconfig: path.join(CLI, 'tsconfig.json'),
    // npm packages stay in node_modules: the AWS SDK, pg and CDK for Terraform load only with the command using them.
    packages: 'external',
    define: { BLUEGREEN_VERSION: JSON.stringify(version) },
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
    sourcemap: false,
    write: false,
  };
}

function writeAtomic(file, contents) {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, contents);
  fs.renameSync(tmp, file);
}

function finish(result, startedAt, outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  const bundle = path.join(outDir, path.basename(BUNDLE));
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.split(/[\\/]/).includes('node_modules'));
  writeAtomic(bundle, result.outputFiles[0].contents);
  // Inputs as relative to the workspace root; builtAt is when the build started (a file saved during it counts as newer).
  writeAtomic(path.join(outDir, path.basename(MANIFEST)), `${JSON.stringify({ builtAt: startedAt, inputs: [...inputs, 'package.json'] }, null, 1)}\n`);
  return bundle;
}

/** Builds synchronously (used on first run, before the command starts); returns the bundle's path. */
function buildSync(outDir = OUT_DIR) {
  const startedAt = Date.now();
  const esbuild = require('esbuild');
  return finish(esbuild.buildSync({ ...options(), outfile: path.join(outDir, path.basename(BUNDLE)) }), startedAt, outDir);
}

/**
 * Whether the bundle is there and no input is newer than it. Stats the ~100 workspace files it came from (a few
 * milliseconds); node_modules is not watched (`npm ci` runs `prepare`, which rebuilds).
 */
function isFresh() {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
    if (!fs.existsSync(BUNDLE)) return false;
  } catch {
    return false;
  }
  for (const input of manifest.inputs) {
    try {
      if (fs.statSync(path.join(ROOT, input)).mtimeMs > manifest.builtAt) return false;
    } catch {
      return false;
    }
  }
  return true;
}

module.exports = { BUNDLE, MANIFEST, buildSync, isFresh };

if (require.main === module) {
  const out = buildSync();
  process.stdout.write(`built ${path.relative(process.cwd(), out)} (${Math.round(fs.statSync(out).size / 1024)} KiB)\n`);
}
