module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'monitoring',
  rootDir: __dirname,
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
};
