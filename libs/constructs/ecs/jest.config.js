module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'ecs',
  rootDir: __dirname,
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
};
