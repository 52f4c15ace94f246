// Jest global setup: one embedded PostgreSQL server for every test file of a project (each file still gets fresh
// databases from it). Started in Jest's parent process before the workers; they find it through the environment.
// Relative imports only: Jest loads this file without the workspace's path aliases.
import { SHARED_SERVER_ENV, startSharedServer, TEST_DATABASE_URL_ENV, type TestPostgres } from '../lib/server';

declare global {
  var __bluegreenSharedPostgres: TestPostgres | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env[TEST_DATABASE_URL_ENV]) return; // the developer named a server: every test uses it
  const pg = await startSharedServer();
  globalThis.__bluegreenSharedPostgres = pg;
  process.env[SHARED_SERVER_ENV] = pg.adminUrl;
  process.env.BLUEGREEN_TEST_SHARED_PG_ORIGIN = `${pg.origin}, shared by the project's test files`;
}
