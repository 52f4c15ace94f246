#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx bluegreen` works right after `npm ci` with no build step.
const path = require('node:path');
// tsx's register({ tsconfig }) does not apply the `@bluegreen/*` path aliases; TSX_TSCONFIG_PATH does.
process.env.TSX_TSCONFIG_PATH ??= path.join(__dirname, '..', 'tsconfig.json');
const { register } = require('tsx/cjs/api');

register({ tsconfig: process.env.TSX_TSCONFIG_PATH });
require('../src/main.ts')
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
