module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'testing-aws',
  rootDir: __dirname,
};
