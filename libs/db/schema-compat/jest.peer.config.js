// `peer`: the peer-fixture replay only (test/peer/). Run through `nx run schema-compat:peer`, which skips it when
// BLUEGREEN_PEER_FIXTURES is not set.
module.exports = {
  ...require('../../../jest.preset.js'),
  ...require('../../testing/postgres/jest-shared-server.js'),
  displayName: 'schema-compat:peer',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/peer/**/*.spec.ts'],
};
