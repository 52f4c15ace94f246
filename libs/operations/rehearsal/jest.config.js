module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'rehearsal',
  rootDir: __dirname,
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/e2e/'],
};
