export { BlueGreenCompute, RESERVED_SERVICE_NAMES, SERVICE_NAME_PATTERN, serviceProblems, type BlueGreenComputeProps, type LoadBalancerSettings } from './lib/blue-green-compute';
export {
  BlueGreenService,
  imageRepositoryName,
  imageRepositoryUrl,
  lifecyclePolicy,
  TARGET_GROUP_NAME_LIMIT,
  type BlueGreenServiceProps,
  type ServiceRoute,
  type ServiceSettings,
  type ServiceTargetGroup,
} from './lib/blue-green-service';
export { ColourService, CONTAINER_NAME, ecrRepositoryArn, type ColourDatabase, type ColourServiceProps, type ColourSettings, type ContainerSecret } from './lib/colour-service';
export {
  BlueGreenLoadBalancer,
  DEFAULT_SSL_POLICY,
  US_EAST_1_ELB_ACCOUNT_ID,
  weightedForward,
  type BlueGreenLoadBalancerProps,
  type CertificateSource,
  type ServiceForward,
  type ServiceRuleProps,
  type ServiceRules,
  type TargetGroupProps,
} from './lib/load-balancer';
export { COLOURS, type Colour, type PolicyStatement, type ServiceRouting, type TargetHealthCheck, type TrafficWeights } from './lib/types';
