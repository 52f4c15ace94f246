module.exports = {
  ...require('../../../jest.preset.js'),
  ...require('../local-postgres/jest-shared-server.js'),
  displayName: 'data-verify',
  rootDir: __dirname,
};
