module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'state-backend',
  rootDir: __dirname,
};
