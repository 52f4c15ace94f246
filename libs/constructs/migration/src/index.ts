export {
  DmsMigration,
  dmsTaskFailedRuleName,
  DMS_CLOUDWATCH_LOGS_ROLE_NAME,
  DMS_VPC_ROLE_NAME,
  type AuroraEndpoint,
  type DmsMigrationProps,
  type DmsVerifyTaskProps,
  type ReverseReplicationProps,
  type LegacyPostgresSource,
} from './lib/dms-migration';
export { DMS_CONTROL_SCHEMA, renderTableMappings, renderTaskSettings, type TableRule } from './lib/table-mappings';
export { DataVerifyTask, VERIFY_REPORT_PREFIX, type DataVerifyTaskProps, type VerifyDatabase } from './lib/verify-task';
