import { references } from '../elements';
import { defineRule } from '../rule';

const FLAGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

export const BG015 = defineRule({
  id: 'BG015',
  title: 'S3 buckets block all public access',
  severity: 'high',
  refuses: 'an S3 bucket without a public access block with all four flags',
  reads: '`aws_s3_bucket`, `aws_s3_bucket_public_access_block`',
  covers: ['CKV2_AWS_6', 'CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56', 'AVD-AWS-0086', 'AVD-AWS-0087', 'AVD-AWS-0091', 'AVD-AWS-0093', 'AVD-AWS-0094', 'CKV_AWS_57', 'CKV_AWS_70', 'AVD-AWS-0092'],
  fix: 'add an aws_s3_bucket_public_access_block with all four flags true for the bucket',
  check({ ofType, report }) {
    const blocks = ofType('aws_s3_bucket_public_access_block');
    for (const el of ofType('aws_s3_bucket')) {
      const block = blocks.find((c) => references(c.body['bucket'], el.address));
      if (!block) report(el, 'no aws_s3_bucket_public_access_block references this bucket');
      else if (FLAGS.some((f) => block.body[f] !== true)) report(block, `all of ${FLAGS.join(', ')} must be true`);
    }
  },
});
