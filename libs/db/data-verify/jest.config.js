module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'data-verify',
  rootDir: __dirname,
};
