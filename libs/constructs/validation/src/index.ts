export { SchemaValidatorFunction, type SchemaValidatorFunctionProps, type ValidatorDatabase } from './lib/schema-validator-function';
