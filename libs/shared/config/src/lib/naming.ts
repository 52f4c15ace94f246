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
