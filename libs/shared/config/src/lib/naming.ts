/**
 * Every named resource is `{resource-type}-{environment-suffix}` (docs/design.md). Some AWS names have tight
 * limits (ALB and target group names: 32 characters), so the helper refuses a name that would not fit
 * rather than letting `terraform apply` fail half-way through.
 */

export const ENVIRONMENT_SUFFIX_PATTERN = /^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$/;

/** Names whose AWS limit is below the usual 63/255 characters. */
const LIMITS: Readonly<Record<string, number>> = {
  alb: 32,
  'tg-blue': 32,
  'tg-green': 32,
  'lb': 32,
};

export class Naming {
  constructor(public readonly suffix: string) {
    if (!ENVIRONMENT_SUFFIX_PATTERN.test(suffix)) {
      throw new Error(
        `environmentSuffix: must be 1-20 lowercase letters, digits or hyphens (not starting or ending with a hyphen), got ${JSON.stringify(suffix)}`,
      );
    }
  }

  /**
   * `{resourceType}-{suffix}`. `resourceType` is lowercase words joined by hyphens (`aurora-cluster`, `tg-blue`).
   * @param maxLength the AWS limit for this kind of name; defaults to 63 (or a known tighter limit).
   */
  name(resourceType: string, maxLength?: number): string {
    if (!/^[a-z][a-z0-9-]*$/.test(resourceType)) {
      throw new Error(`resource type must be lowercase letters, digits and hyphens, got ${JSON.stringify(resourceType)}`);
    }
    const result = `${resourceType}-${this.suffix}`;
    const limit = maxLength ?? LIMITS[resourceType] ?? 63;
    if (result.length > limit) {
      throw new Error(`name ${JSON.stringify(result)} is ${result.length} characters; AWS allows ${limit} for ${resourceType}`);
    }
    return result;
  }
}

/**
 * The longest names a named service's resources get, with their AWS limits: `{type}-{suffix}` where the type holds
 * the service name and the longer colour. The target group's 32 characters are the tightest.
 */
export const SERVICE_RESOURCE_NAME_LIMITS: readonly { readonly what: string; readonly type: (service: string) => string; readonly limit: number }[] = [
  { what: 'target group', type: (s) => `tg-${s}-green`, limit: 32 },
  { what: 'IAM role', type: (s) => `ecs-execution-${s}-green`, limit: 64 },
  { what: 'security group', type: (s) => `ecs-${s}-green-sg`, limit: 255 },
  { what: 'ECS service', type: (s) => `service-${s}-green`, limit: 255 },
  { what: 'alarm', type: (s) => `alarm-${s}-green-unhealthy-hosts`, limit: 255 },
  { what: 'image repository', type: (s) => `ecr-${s}`, limit: 256 },
];

/**
 * Why a service name does not fit AWS name limits once named `{type}-{suffix}` (the first limit it breaks), or
 * undefined when it fits.
 */
export function serviceNameLimitProblem(suffix: string, service: string): string | undefined {
  for (const { what, type, limit } of SERVICE_RESOURCE_NAME_LIMITS) {
    const full = `${type(service)}-${suffix}`;
    if (full.length > limit) {
      const room = limit - (full.length - service.length);
      return `makes the ${what} name ${JSON.stringify(full)} ${full.length} characters; AWS allows ${limit}, so with environmentSuffix ${JSON.stringify(suffix)} a service name may have at most ${Math.max(room, 0)} characters, got ${JSON.stringify(service)}`;
    }
  }
  return undefined;
}
