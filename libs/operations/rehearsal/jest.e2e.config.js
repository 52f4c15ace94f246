// The five scenarios end to end (real PostgreSQL servers, app processes, proxy and load): `nx run rehearsal:e2e`.
module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'rehearsal-e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'],
  testTimeout: 240_000,
};
