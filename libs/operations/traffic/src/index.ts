export { evaluateShift, nextStage, otherColour, type ShiftRequest, type ShiftVerdict, type ShiftDirection, type Weights } from './lib/stages';
export { decide, type ColourSignals, type IncidentFlags, type DecisionThresholds, type DecisionOptions, type Decision, type DecisionResult } from './lib/decision';
export {
  applyConfigEdits,
  editConfigFile,
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
} from './lib/config-edit';
export { parseOutputs, readOutputsFile, readTerraformOutputs, requireOutput, targetGroupArn, synthesizedStackDirs, OutputsError, type StackOutputs } from './lib/outputs';
export { describeListenerWeights, setListenerWeights, weightedForwardAction, describeTargetHealth, type ListenerTargets, type ListenerWeights, type TargetHealthSummary } from './lib/aws/elb';
export { describeAlarmsByPrefix, getColourSignals, colourMetricQueries, type AlarmState, type MetricWindow } from './lib/aws/cloudwatch';
export { invokeSchemaValidator, ValidatorError, type ValidatorVerdict } from './lib/aws/lambda';
export { describeServices, type ServiceStatus } from './lib/aws/ecs';
export { runGates, schemaGate, lambdaSchemaChecker, targetHealthGate, alarmsGate, type Gate, type GateResult, type GateStatus, type SchemaChecker } from './lib/gates';
export { diffSynthesized, synthesizeWithConfig, type ResourceChange } from './lib/synth-diff';
