export { type CdcLatency, type DmsPort, type Read, type StartRequest, type TaskRef, type TaskState, type ValidationSummary } from './lib/ports';
export { awsDmsPort, dmsClients, taskResourceId, validationClass, type AwsDmsPortOptions } from './lib/aws';
export {
  cutoverSteps,
  latencyCheck,
  readiness,
  reverseReadyCheck,
  rollbackSteps,
  validationCheck,
  verifyCheck,
  type Check,
  type CheckStatus,
  type Readiness,
  type Step,
  type StepContext,
  type VerifyEvidence,
} from './lib/decision';
export { migrationCutover, migrationRollback, migrationStatus, type MigrationPorts, type MigrationStatus, type StepOutcome, type SwitchOptions, type SwitchResult, type TaskReport } from './lib/workflows';
export { cdcGateVerdict, forwardCdcLatencyGate, type CdcGate, type CdcGateStatus } from './lib/gate';
export { formatStatus, formatSwitch } from './lib/format';
export { parseReportUrl, putReport, reportClient, type ReportPorts, type ReportTarget } from './lib/report';
