export { StateBackendStack, type StateBackendStackProps } from './state-backend-stack';
export { createStateBackendApp, ENVIRONMENTS } from './app';
