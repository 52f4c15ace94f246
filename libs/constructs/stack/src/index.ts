export { BlueGreenStack, type BlueGreenStackProps } from './lib/blue-green-stack';
export {
  addEnvironmentStack,
  BlueGreenApp,
  createEnvironmentApp,
  createWorkspaceApp,
  loadEnvironmentConfigs,
  selectEnvironments,
  stackFormat,
  STACK_FORMAT_FILES,
  UnknownEnvironmentError,
  workspaceEnvironments,
  type EnvironmentApp,
  type EnvironmentAppOptions,
  type WorkspaceApp,
  type WorkspaceAppOptions,
} from './lib/environment-app';
export { servicesFromConfig, SINGLE_SERVICE_NAME, type WiredService } from './lib/compute-wiring';
export { addOperatorPolicy, operatorPolicyStatements, type OperatorPolicyParts, type PolicyStatement } from './lib/operator-policy';
