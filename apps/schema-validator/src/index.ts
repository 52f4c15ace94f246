export { createHandler, handler, RDS_CA_BUNDLE, type ErrorType, type HandlerOptions, type ValidatorEvent, type ValidatorFailure, type ValidatorResult } from './handler';
