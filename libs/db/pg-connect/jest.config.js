module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'pg-connect',
  rootDir: __dirname,
};
