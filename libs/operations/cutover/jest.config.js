module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'cutover',
  rootDir: __dirname,
};
