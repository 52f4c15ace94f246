/** The S3 implementation of the state reader: one GetObject of the state object the S3 backend writes. */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { StateReadError, stateUrl, type StateObjectPort } from '@bluegreen/state';
import type { AwsClients } from './clients';
import { AwsCallError } from './errors';

export function s3StatePort(c: Pick<AwsClients, 's3'>): StateObjectPort {
  return {
    async readState(loc) {
      try {
        const res = await c.s3.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key }));
        const text = res.Body ? await res.Body.transformToString('utf8') : '';
        return { text, ...(res.LastModified ? { lastModified: res.LastModified } : {}), ...(res.VersionId ? { versionId: res.VersionId } : {}) };
      } catch (err) {
        if (err instanceof AwsCallError && err.kind === 'not found') {
          throw new StateReadError(`no state at ${stateUrl(loc)} (nothing deployed yet, or the wrong bucket/key in the config's state section): ${err.message}`);
        }
        if (err instanceof AwsCallError && err.kind === 'access denied') {
          throw new StateReadError(`cannot read ${stateUrl(loc)}: ${err.message} (without s3:ListBucket a missing object also answers access denied)`);
        }
        throw err;
      }
    },
  };
}
