// Spread into a test project's jest.config.js to give all its test files one shared PostgreSQL server:
//   module.exports = { ...require('<root>/jest.preset.js'), ...require('<root>/libs/testing/postgres/jest-shared-server.js'), … }
const path = require('node:path');

module.exports = {
  globalSetup: path.join(__dirname, 'src', 'jest', 'global-setup.ts'),
  globalTeardown: path.join(__dirname, 'src', 'jest', 'global-teardown.ts'),
};
