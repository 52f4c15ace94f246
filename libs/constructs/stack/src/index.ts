export { BlueGreenStack, type BlueGreenStackProps } from './lib/blue-green-stack';
export { createEnvironmentApp, type EnvironmentApp, type EnvironmentAppOptions } from './lib/environment-app';
