module.exports = {
  ...require('../../../jest.preset.js'),
  ...require('../../testing/postgres/jest-shared-server.js'),
  displayName: 'data-verify',
  rootDir: __dirname,
};
