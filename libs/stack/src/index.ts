export { BlueGreenStack, type BlueGreenStackProps } from './lib/blue-green-stack';
