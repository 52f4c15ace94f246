import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { defaultTags, Naming, type EnvironmentConfig } from '@bluegreen/config';
import { Fn, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';

export interface StateBackendStackProps {
  /** The environment whose remote state this bucket holds (its `state.bucket`, account, region, tags). */
  readonly config: EnvironmentConfig;
  /**
   * Let `terraform destroy` empty the bucket. Off for production environments: their state history matters.
   * @default - true unless `config.production`
   */
  readonly forceDestroy?: boolean;
  /** Days a superseded state version is kept. @default 90 */
  readonly noncurrentVersionRetentionDays?: number;
}

/**
 * The S3 bucket that holds an environment's Terraform state, bootstrapped with LOCAL state (it cannot live in the
 * bucket it creates): versioning, SSE-KMS with its own customer-managed key (rotation on, bucket key), every
 * public-access block, bucket-owner-enforced ownership and a bucket policy that refuses any request not over TLS.
 * Locking uses Terraform's S3 lock file (`use_lockfile`), so there is no DynamoDB table.
 */
export class StateBackendStack extends TerraformStack {
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly kmsKeyArn: string;

  constructor(scope: Construct, id: string, props: StateBackendStackProps) {
    super(scope, id);
    const { config } = props;
    const naming = new Naming(config.environmentSuffix);
    const retention = props.noncurrentVersionRetentionDays ?? 90;
    if (!Number.isInteger(retention) || retention < 1) throw new Error(`noncurrentVersionRetentionDays: must be a whole number of days >= 1, got ${retention}`);

    // State next to this app (apps/state-backend/<stack>.tfstate): relative to the stack's synth directory.
    new LocalBackend(this, { path: `../../../${id}.tfstate` });
    new AwsProvider(this, 'aws', { region: config.region, allowedAccountIds: [config.accountId], defaultTags: [{ tags: defaultTags(config) }] });

    const key = new KmsKey(this, 'kms-key', {
      description: `Terraform state bucket ${config.state.bucket}`,
      enableKeyRotation: true,
      deletionWindowInDays: config.production ? 30 : 7,
      tags: { Name: naming.name('kms-tfstate') },
    });
    new KmsAlias(this, 'kms-key-alias', { name: `alias/${naming.name('kms-tfstate')}`, targetKeyId: key.keyId });

    const bucket = new S3Bucket(this, 'bucket', {
      bucket: config.state.bucket,
      forceDestroy: props.forceDestroy ?? !config.production,
      tags: { Name: config.state.bucket },
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketVersioningA(this, 'versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: bucket.id,
      rule: [
        {
          id: 'expire-old-state-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: retention }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    new S3BucketPolicy(this, 'policy', {
      bucket: bucket.id,
      // Fn.jsonencode, not JSON.stringify: a JSON string holding tokens breaks `cdktf synth --hcl`.
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [bucket.arn, `${bucket.arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    });

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.kmsKeyArn = key.arn;
    new TerraformOutput(this, 'state_bucket', { value: bucket.bucket, staticId: true });
    new TerraformOutput(this, 'state_kms_key_arn', { value: key.arn, staticId: true });
  }
}
