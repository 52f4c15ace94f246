// Tests that spawn bin/bluegreen.js run the TypeScript sources, not the bundle (set before the workers start).
process.env.BLUEGREEN_CLI_FROM_SOURCE = '1';

module.exports = {
  ...require('../../jest.preset.js'),
  ...require('../../libs/testing/postgres/jest-shared-server.js'),
  displayName: 'cli',
  rootDir: __dirname,
};
