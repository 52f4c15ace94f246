// Jest global teardown: stops the project's shared PostgreSQL server (also after failed tests).
import { SHARED_SERVER_ENV } from '../lib/server';

export default async function globalTeardown(): Promise<void> {
  const pg = globalThis.__bluegreenSharedPostgres;
  globalThis.__bluegreenSharedPostgres = undefined;
  delete process.env[SHARED_SERVER_ENV];
  await pg?.stop();
}
