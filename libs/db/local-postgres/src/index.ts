export {
  startPostgres,
  startSharedServer,
  SHARED_SERVER_ENV,
  SHARED_SETTINGS,
  TEST_DATABASE_URL_ENV,
  type StartOptions,
  type TestPostgres,
} from './lib/server';
export { chooseServerUser, RUN_AS_ENV, type ServerUser, type ServerUserChoice } from './lib/runtime';
