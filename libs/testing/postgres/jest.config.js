module.exports = {
  ...require('../../../jest.preset.js'),
  ...require('../../db/local-postgres/jest-shared-server.js'),
  displayName: 'testing-postgres',
  rootDir: __dirname,
};
