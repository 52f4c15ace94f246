// Tests reach the local PostgreSQL server through this package; the server itself lives in @bluegreen/local-postgres
// (the local rehearsal runs it too). Its Jest glue (one shared server per test project) is local-postgres's jest-shared-server.js.
export { startPostgres, TEST_DATABASE_URL_ENV, type StartOptions, type TestPostgres } from '@bluegreen/local-postgres';
