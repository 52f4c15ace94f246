export { BlueGreenStack, type BlueGreenStackProps } from './lib/blue-green-stack';
export { createEnvironmentApp, type EnvironmentApp, type EnvironmentAppOptions } from './lib/environment-app';
export { servicesFromConfig, SINGLE_SERVICE_NAME, type WiredService } from './lib/compute-wiring';
