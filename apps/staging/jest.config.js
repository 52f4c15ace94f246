module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'staging',
  rootDir: __dirname,
};
