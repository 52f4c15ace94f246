module.exports = {
  ...require('../../jest.preset.js'),
  ...require('../../libs/testing/postgres/jest-shared-server.js'),
  displayName: 'schema-validator',
  rootDir: __dirname,
};
