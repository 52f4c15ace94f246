export { Network, type NetworkProps, type NatGatewayMode } from './lib/network';
