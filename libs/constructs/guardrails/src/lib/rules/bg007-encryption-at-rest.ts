import { first, isRef, references } from '../elements';
import { defineRule } from '../rule';

export const BG007 = defineRule({
  id: 'BG007',
  title: 'Storage encrypted at rest (Aurora with a customer-managed key, S3 SSE, Secrets Manager CMK, DMS CMK)',
  severity: 'high',
  refuses:
    'unencrypted storage: Aurora without `storage_encrypted` + `kms_key_id` (CMK), RDS instance unencrypted, S3 bucket without SSE configuration, secret without `kms_key_id`, DMS instance without `kms_key_arn`',
  reads:
    '`aws_rds_cluster`, `aws_db_instance`, `aws_s3_bucket`(+`_server_side_encryption_configuration`), `aws_secretsmanager_secret`, `aws_dms_replication_instance`',
  covers: ['CKV_AWS_96', 'CKV_AWS_327', 'AVD-AWS-0079', 'CKV_AWS_16', 'AVD-AWS-0080', 'CKV_AWS_149', 'CKV_AWS_145', 'AVD-AWS-0088', 'AVD-AWS-0132', 'CKV_AWS_212'],
  fix: 'set storage_encrypted + kms_key_id (Aurora), add an aws_s3_bucket_server_side_encryption_configuration (S3), set kms_key_id (secret) or kms_key_arn (DMS)',
  check({ ofType, report }) {
    const encrypted = (value: unknown) => value === true || isRef(value);
    for (const el of ofType('aws_rds_cluster')) {
      if (!encrypted(el.body['storage_encrypted'])) report(el, 'storage_encrypted is not true');
      if (el.body['kms_key_id'] === undefined) report(el, 'kms_key_id is not set (Aurora storage must use the customer-managed key)');
    }
    for (const el of ofType('aws_db_instance')) {
      if (!encrypted(el.body['storage_encrypted'])) report(el, 'storage_encrypted is not true');
    }
    for (const el of ofType('aws_secretsmanager_secret')) {
      if (el.body['kms_key_id'] === undefined) report(el, 'kms_key_id is not set (secrets are encrypted with the customer-managed key)');
    }
    for (const el of ofType('aws_dms_replication_instance')) {
      if (el.body['kms_key_arn'] === undefined) report(el, 'kms_key_arn is not set');
    }
    const sseConfigurations = ofType('aws_s3_bucket_server_side_encryption_configuration');
    for (const el of ofType('aws_s3_bucket')) {
      const inline = first(el.body['server_side_encryption_configuration']);
      const separate = sseConfigurations.some((c) => references(c.body['bucket'], el.address));
      if (!inline && !separate) report(el, 'no aws_s3_bucket_server_side_encryption_configuration references this bucket');
    }
  },
});
