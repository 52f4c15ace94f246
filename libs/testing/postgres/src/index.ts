export { startPostgres, TEST_DATABASE_URL_ENV, type StartOptions, type TestPostgres } from './lib/server';
