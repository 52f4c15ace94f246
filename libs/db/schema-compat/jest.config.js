// `test`: everything under test/ except the peer-fixture replay, which is its own target (`peer`, jest.peer.config.js):
// it needs fixtures that live outside the repository.
module.exports = {
  ...require('../../../jest.preset.js'),
  ...require('../../testing/postgres/jest-shared-server.js'),
  displayName: 'schema-compat',
  rootDir: __dirname,
  testPathIgnorePatterns: [...require('../../../jest.preset.js').testPathIgnorePatterns, '<rootDir>/test/peer/'],
};
