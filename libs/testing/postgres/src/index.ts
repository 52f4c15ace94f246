export { startPostgres, TEST_DATABASE_URL_ENV, type TestPostgres } from './lib/server';
