// The names that cross the stack / operations boundary, declared once.
export { COLOURS, isColour, otherColour, type Colour } from './lib/colour';
export { COLOUR_ALARM_SIGNALS, colourAlarmType, unqualifiedColourAlarmType, type ColourAlarmSignal } from './lib/alarms';
export {
  parseStackContract,
  serviceOf,
  stackContractSchema,
  StackContractError,
  STACK_CONTRACT_OUTPUT,
  STACK_CONTRACT_VERSION,
  migrationSchema,
  type DatabaseContract,
  type MigrationContract,
  type ServiceContract,
  type ServiceRoute,
  type StackContract,
} from './lib/outputs';
export { defaultStateKey } from './lib/state';
export { ENVIRONMENT_FILE, ENVIRONMENT_NAME_PATTERN, ENVIRONMENTS_DIR, environmentAppDir, environmentConfigPath, findWorkspaceRoot, listEnvironments } from './lib/environments';
export { VALIDATOR_BUNDLE_TARGET, VALIDATOR_LAMBDA_RUNTIME, VALIDATOR_NODE_MAJOR } from './lib/validator';
export { OPERATOR_ACTIONS, OPERATOR_COMMANDS, operatorActionsOf, operatorSdkCommandsOf, type OperatorAction, type OperatorCommand, type OperatorResource } from './lib/operator';
