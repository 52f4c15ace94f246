module.exports = {
  ...require('../../jest.preset.js'),
  ...require('../../libs/db/local-postgres/jest-shared-server.js'),
  displayName: 'cli',
  rootDir: __dirname,
};
