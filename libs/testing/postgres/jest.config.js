module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'testing-postgres',
  rootDir: __dirname,
};
