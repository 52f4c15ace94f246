export { connect, exportSnapshot, readOnlySnapshot, serverInfo, targetOf, withClient, type ConnectOptions, type ServerInfo, type SnapshotOptions } from './lib/connect';
export { classifyPgError, DatabaseError, type DatabaseErrorFields, type DatabaseErrorKind } from './lib/errors';
export { describeTarget } from './lib/redact';
