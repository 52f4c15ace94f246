import type { EnvironmentConfig } from './environment';

/** Cost-allocation tags applied to every resource through the AWS provider's `default_tags`. */
export function defaultTags(config: Pick<EnvironmentConfig, 'environment' | 'environmentSuffix' | 'tags'>): Record<string, string> {
  return {
    Environment: config.environment,
    EnvironmentSuffix: config.environmentSuffix,
    Project: config.tags.project,
    Owner: config.tags.owner,
    CostCenter: config.tags.costCenter,
    ManagedBy: 'cdktf',
  };
}

export const REQUIRED_TAG_KEYS = ['Environment', 'Project', 'Owner', 'CostCenter', 'ManagedBy'] as const;
