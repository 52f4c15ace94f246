export { evaluateShift, nextStage, otherColour, type ShiftRequest, type ShiftVerdict, type ShiftDirection, type Weights } from './lib/stages';
export { decide, type ColourSignals, type IncidentFlags, type DecisionThresholds, type DecisionOptions, type Decision, type DecisionResult } from './lib/decision';
export {
  applyConfigEdits,
  applyWeightEdits,
  editConfigFile,
  editEnvironmentConfig,
  lockConfigFile,
  lockFileOf,
  planRollback,
  rollbackEnvironmentConfig,
  ConfigConflictError,
  ConfigLockedError,
  ConfigReadOnlyError,
  DEFAULT_LOCK_WAIT_MS,
  DEFAULT_STALE_LOCK_MS,
  writeFileAtomic,
  weightEdits,
  dnsWeightEdits,
  promoteEdits,
  finalizeEdits,
  rollbackWindowEnd,
  TrafficRuleError,
  type ConfigEdit,
  type AppliedEdit,
  type EditResult,
  type EditEnvironmentConfigRequest,
  type EditOutcome,
  type LockHolder,
  type MinimalEditResult,
  type RollbackPlan,
} from './lib/config-edit';
export { parseOutputs, readOutputsFile, readTerraformOutputs, requireOutput, targetGroupArn, synthesizedStackDirs, OutputsError, type StackOutputs } from './lib/outputs';
export { describeListenerWeights, setListenerWeights, weightedForwardAction, describeTargetHealth, type ListenerTargets, type ListenerWeights, type TargetHealthSummary } from './lib/aws/elb';
export { describeAlarmsByPrefix, getColourSignals, colourMetricQueries, type AlarmState, type MetricWindow } from './lib/aws/cloudwatch';
export { invokeSchemaValidator, ValidatorError, type ValidatorVerdict } from './lib/aws/lambda';
export { describeServices, type ServiceStatus } from './lib/aws/ecs';
export { runGates, schemaGate, lambdaSchemaChecker, targetHealthGate, alarmsGate, type Gate, type GateResult, type GateStatus, type SchemaChecker } from './lib/gates';
export { diffSynthesized, synthesizeWithConfig, type ResourceChange } from './lib/synth-diff';
