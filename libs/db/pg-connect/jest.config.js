module.exports = {
  ...require('../../../jest.preset.js'),
  ...require('../local-postgres/jest-shared-server.js'),
  displayName: 'pg-connect',
  rootDir: __dirname,
};
