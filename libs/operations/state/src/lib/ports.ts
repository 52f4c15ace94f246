/**
 * Where an environment's Terraform state lives, and the one port that reads it. The S3 adapter
 * (`@bluegreen/aws`: `s3StatePort`) reads the object straight from the bucket the S3 backend writes (no terraform
 * init, no provider download); a local rehearsal or a test brings another reader.
 */
import type { EnvironmentConfig } from '@bluegreen/config';
import { defaultStateKey } from '@bluegreen/contract';

/** Where an environment's state lives (from `apps/<env>/environment.yaml` → `state`). */
export interface StateLocation {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  readonly kmsKeyId?: string;
}

export function stateLocation(config: Pick<EnvironmentConfig, 'state' | 'environment' | 'region'>): StateLocation {
  return {
    bucket: config.state.bucket,
    key: config.state.key ?? defaultStateKey(config.environment),
    region: config.region,
    ...(config.state.kmsKeyId ? { kmsKeyId: config.state.kmsKeyId } : {}),
  };
}

export const stateUrl = (loc: StateLocation): string => `s3://${loc.bucket}/${loc.key}`;

/** One read of the state object. */
export interface StateObject {
  readonly text: string;
  readonly lastModified?: Date;
  readonly versionId?: string;
}

/** Reads the state object; throws naming the object when it cannot (missing, denied, unreachable). */
export interface StateObjectPort {
  readState(loc: StateLocation): Promise<StateObject>;
}

export class StateReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateReadError';
  }
}
