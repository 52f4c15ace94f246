export { parseCidr, cidrsOverlap, cidrContains, type Ipv4Cidr } from './lib/cidr';
export { Naming, ENVIRONMENT_SUFFIX_PATTERN, SERVICE_RESOURCE_NAME_LIMITS, serviceNameLimitProblem } from './lib/naming';
export { environmentSchema, SUPPORTED_REGIONS, type EnvironmentConfig, type EnvironmentConfigInput } from './lib/environment';
export { ConfigValidationError, describeIssues, type ConfigProblem } from './lib/errors';
export {
  validateEnvironmentConfig,
  validateEnvironmentConfigText,
  loadEnvironmentConfig,
  readEnvironmentConfig,
  parseConfigYaml,
  configContentHash,
  environmentOfPath,
  MAX_YAML_ALIASES,
  type EnvironmentConfigSnapshot,
} from './lib/load';
export { defaultTags, REQUIRED_TAG_KEYS } from './lib/tags';
export { LOG_RETENTION_DAYS } from './lib/sections/common';
export type { NetworkConfig } from './lib/sections/network';
export { AURORA_POSTGRES_MAJOR, type DatabaseConfig, type GreenDatabaseConfig } from './lib/sections/database';
export { FARGATE_MEMORY, RESERVED_ENVIRONMENT_NAMES, scalingBounds, type ColourConfig, type LoadBalancerConfig, type HealthCheckConfig } from './lib/sections/compute';
export {
  SERVICE_NAME_PATTERN,
  RESERVED_SERVICE_NAMES,
  MAX_RULE_PRIORITY,
  MAX_RULE_CONDITION_VALUES,
  type ServiceConfig,
  type ServiceRoutingConfig,
  type ServiceThresholds,
} from './lib/sections/services';
export { resolveService, serviceNames, defaultServiceName, ServiceSelectionError, type ResolvedService, type ServicesByName } from './lib/resolve-service';
export { COLOURS, DEFAULT_STAGES, type Colour, type TrafficConfig } from './lib/sections/traffic';
export { DEFAULT_THRESHOLDS, type MonitoringConfig, type Thresholds } from './lib/sections/monitoring';
export {
  requiresLogicalReplication,
  type MigrationConfig,
  type MigrationSourceConfig,
  type MigrationTableRule,
  type ReplicationInstanceConfig,
  type ReverseReplicationConfig,
  type VerifyTaskConfig,
} from './lib/sections/migration';
export type { DnsConfig, LegacyEndpointConfig, DnsHealthCheckConfig } from './lib/sections/dns';
export type { StateConfig } from './lib/sections/state';
