// Shared Jest setup: TypeScript through SWC (no type-check here; `nx typecheck` owns that),
// workspace path aliases resolved from tsconfig.base.json.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace('/', '\\/')}$`] = path.join(__dirname, target);
}

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  // Two workers per project even on 2 cores: Nx runs two projects at a time, and when one long project (the CLI's)
  // is the last left running, a single worker would leave the other core idle.
  maxWorkers: 2,
  // Skipped tests are listed again, with their reasons, in one summary at the end of `npm test`.
  reporters: ['default', path.join(__dirname, 'tools', 'test', 'skip-reporter.js')],
  testMatch: ['**/?(*.)+(spec|test).ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/cdktf.out/'],
  // A focused or skipped test in main is a bug: fail loudly instead of silently running less.
  injectGlobals: true,
};
