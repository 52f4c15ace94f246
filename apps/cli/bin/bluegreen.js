#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx bluegreen` works right after `npm ci` with no build step.
const path = require('node:path');
const { register } = require('tsx/cjs/api');

register({ tsconfig: path.join(__dirname, '..', 'tsconfig.json') });
require('../src/main.ts')
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
