module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'service-monolith',
  rootDir: __dirname,
};
