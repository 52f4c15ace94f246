export { testContract, testOutputsJson, TEST_ARNS } from './lib/contract';
export { failingEndpoint, silentEndpoint, type LocalEndpoint } from './lib/endpoints';
export { startLocalS3, type LocalS3 } from './lib/s3';
export { testStateDocument } from './lib/state';
