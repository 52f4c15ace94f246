module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'testing-terraform',
  rootDir: __dirname,
};
