#!/usr/bin/env node
'use strict';
// The `bluegreen` command. Runs the bundle (apps/cli/dist/bluegreen.cjs), which the root `prepare` script builds
// during `npm ci`; when it is missing or a source file is newer, it is rebuilt here first (under a second, once).
// BLUEGREEN_CLI_FROM_SOURCE=1 runs the TypeScript sources instead (the test suite does, so it tests the sources).
const path = require('node:path');

async function fromSources() {
  // tsx's register({ tsconfig }) does not apply the `@bluegreen/*` path aliases; TSX_TSCONFIG_PATH does.
  process.env.TSX_TSCONFIG_PATH ??= path.join(__dirname, '..', 'tsconfig.json');
  require('tsx/cjs/api').register({ tsconfig: process.env.TSX_TSCONFIG_PATH });
  // The commands are loaded with import(), which goes through Node's ESM loader: hook tsx in there too (through
  // the ES module form of tsx's API: its CommonJS form registers a hook path that does not exist).
  (await import('tsx/esm/api')).register({ tsconfig: process.env.TSX_TSCONFIG_PATH });
  return require('../src/main.ts');
}

async function fromBundle() {
  const bundle = require('./bundle.cjs');
  if (!bundle.isFresh()) {
    try {
      bundle.buildSync();
    } catch (err) {
      // No esbuild (an install without dev dependencies) or a read-only checkout: use the bundle there is, if any.
      if (!require('node:fs').existsSync(bundle.BUNDLE)) {
        process.stderr.write(`bluegreen: cannot build the command line bundle (${err.message.split('\n')[0]}); running from the sources\n`);
        return fromSources();
      }
    }
  }
  return require(bundle.BUNDLE);
}

(process.env.BLUEGREEN_CLI_FROM_SOURCE === '1' ? fromSources() : fromBundle()).then((cli) => cli.run(process.argv));
