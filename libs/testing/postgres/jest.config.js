module.exports = {
  ...require('../../../jest.preset.js'),
  ...require('./jest-shared-server.js'),
  displayName: 'testing-postgres',
  rootDir: __dirname,
};
