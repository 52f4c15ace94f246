export { createAwsClients, requestHandlerSettings, type AwsClientOptions, type AwsClients } from './lib/clients';
export { Deadline } from './lib/deadline';
export { AwsCallError, DeadlineExceededError, toAwsCallError } from './lib/errors';
export { awsPorts, type AwsPorts } from './lib/ports';
export { s3StatePort } from './lib/state';
export {
  AWS_TIMEOUT_ENV,
  DEFAULT_AWS_TIMEOUTS,
  DEFAULT_COMMAND_DEADLINES_S,
  resolveAwsTimeouts,
  resolveDeadlineSeconds,
  TimeoutSettingError,
  VALIDATOR_INVOKE_TIMEOUT_MS,
  WATCH_DEADLINE_MARGIN_S,
  type AwsTimeouts,
  type TimeoutOverrides,
} from './lib/timeouts';
export { awsAlarmPort, awsListenerPort, awsMetricsPort, awsServicePort, awsTargetHealthPort, awsValidatorPort, colourMetricQueries, weightedForwardAction } from './lib/traffic';
