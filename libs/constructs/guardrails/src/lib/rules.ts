/**
 * The guardrail catalogue. Ids are API: suppressions and docs/guardrails.md refer to them, so an id is never reused.
 */
export interface GuardrailRule {
  /** `BG` + three digits. */
  readonly id: string;
  /** One line: what the rule refuses. */
  readonly title: string;
  /** How to fix a violation (printed with every finding). */
  readonly fix: string;
}

const RULES = [
  {
    id: 'BG001',
    title: 'Named resources follow `{resource-type}-{environment-suffix}`',
    fix: "name the resource with `new Naming(suffix).name('<resource-type>')` from @bluegreen/config",
  },
  {
    id: 'BG002',
    title: 'Cost-allocation tags (Environment, Project, Owner, CostCenter, ManagedBy) are set as AWS provider default_tags',
    fix: 'give every AwsProvider `defaultTags: [{ tags: defaultTags(config) }]` and never blank a required tag on a resource',
  },
  {
    id: 'BG003',
    title: 'No VPC endpoints (the spec routes private egress through NAT gateways)',
    fix: 'remove the aws_vpc_endpoint; private subnets reach AWS APIs through the NAT gateway',
  },
  {
    id: 'BG004',
    title: 'No kms_key_id on CloudWatch log groups (KMS is only for Aurora, Secrets Manager and S3)',
    fix: 'drop `kmsKeyId` from the log group; CloudWatch Logs encrypts at rest with its own keys',
  },
  {
    id: 'BG005',
    title: 'No lifecycle.prevent_destroy: every environment is destroyable; deletion protection is the switch',
    fix: 'remove `lifecycle: { preventDestroy: true }` and use the deletion-protection setting of the environment config',
  },
  {
    id: 'BG006',
    title: 'No Secrets Manager rotation resources or rotation Lambdas (rotation is a documented manual procedure)',
    fix: 'remove the aws_secretsmanager_secret_rotation / rotation Lambda permission; follow the manual rotation runbook',
  },
  {
    id: 'BG007',
    title: 'Storage encrypted at rest (Aurora with a customer-managed key, S3 SSE, Secrets Manager CMK, DMS CMK)',
    fix: 'set storage_encrypted + kms_key_id (Aurora), add an aws_s3_bucket_server_side_encryption_configuration (S3), set kms_key_id (secret) or kms_key_arn (DMS)',
  },
  {
    id: 'BG008',
    title: 'No public IP addresses on ECS tasks, databases, DMS instances or private subnets',
    fix: 'set assign_public_ip = false / publicly_accessible = false; only the public subnets of the ALB map public IPs',
  },
  {
    id: 'BG009',
    title: 'IAM policies do not grant scopable actions on Resource "*"',
    fix: "scope Resource to the ARNs the principal needs; an action that only accepts \"*\" belongs in the allow-list, or suppress with suppressGuardrail(construct, 'BG009', '<reason>')",
  },
  {
    id: 'BG010',
    title: 'HTTPS-only listeners: an HTTP listener may only redirect to HTTPS; HTTPS listeners use a TLS 1.2+ policy',
    fix: 'make the HTTP listener a single `redirect` action to HTTPS (HTTP_301); give HTTPS listeners an ELBSecurityPolicy-TLS13-* policy',
  },
  {
    id: 'BG011',
    title: 'Deletion protection matches the environment config (Aurora clusters, load balancers)',
    fix: 'pass the environment config value through to deletion_protection / enable_deletion_protection',
  },
  {
    id: 'BG012',
    title: 'Security groups admit the internet (0.0.0.0/0, ::/0) only on the ALB ports 80 and 443',
    fix: 'narrow the ingress CIDR or reference a source security group',
  },
  {
    id: 'BG013',
    title: 'CloudWatch log groups have a retention period',
    fix: 'set retention_in_days (one of the values allowed by CloudWatch Logs, see LOG_RETENTION_DAYS)',
  },
  {
    id: 'BG014',
    title: 'Application load balancers drop invalid HTTP header fields',
    fix: 'set drop_invalid_header_fields = true on the aws_lb',
  },
  {
    id: 'BG015',
    title: 'S3 buckets block all public access',
    fix: 'add an aws_s3_bucket_public_access_block with all four flags true for the bucket',
  },
  {
    id: 'BG016',
    title: 'Aurora keeps at least the configured backup retention (point-in-time recovery window)',
    fix: 'set backup_retention_period to at least the minimum (7 days by the spec)',
  },
] as const satisfies readonly GuardrailRule[];

export type GuardrailRuleId = (typeof RULES)[number]['id'];

export const GUARDRAIL_RULES: readonly GuardrailRule[] = RULES;

export function findRule(id: string): GuardrailRule | undefined {
  return RULES.find((rule) => rule.id === id);
}

export function isRuleId(id: string): id is GuardrailRuleId {
  return findRule(id) !== undefined;
}
