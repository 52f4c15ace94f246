module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'schema-compat',
  rootDir: __dirname,
};
