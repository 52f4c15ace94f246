module.exports = {
  ...require('../../../jest.preset.js'),
  ...require('../../testing/postgres/jest-shared-server.js'),
  displayName: 'pg-connect',
  rootDir: __dirname,
};
