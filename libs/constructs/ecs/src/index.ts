export { BlueGreenCompute, type BlueGreenComputeProps, type LoadBalancerSettings } from './lib/blue-green-compute';
export { ColourService, CONTAINER_NAME, ecrRepositoryArn, type ColourDatabase, type ColourServiceProps, type ColourSettings } from './lib/colour-service';
export {
  BlueGreenLoadBalancer,
  DEFAULT_SSL_POLICY,
  US_EAST_1_ELB_ACCOUNT_ID,
  weightedForward,
  type BlueGreenLoadBalancerProps,
  type CertificateSource,
} from './lib/load-balancer';
export { COLOURS, type Colour, type PolicyStatement, type TargetHealthCheck, type TrafficWeights } from './lib/types';
