module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'schema-validator',
  rootDir: __dirname,
};
