// Shared by the config specs: the shipped environment files as raw (unvalidated) input, and the problems a config
// is refused with, as the `field: message` lines users see.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigValidationError, validateEnvironmentConfig } from '../src';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test fixtures patch arbitrary paths
export type ConfigInput = Record<string, any>;

const appsDir = join(__dirname, '..', '..', '..', '..', 'apps');

/** The path of apps/<env>/environment.yaml. */
export function shippedConfigFile(env: string): string {
  return join(appsDir, env, 'environment.yaml');
}

/** apps/<env>/environment.yaml, parsed but not validated: the valid base each bad-value case breaks. */
export function shippedConfig(env: string): ConfigInput {
  return parse(readFileSync(shippedConfigFile(env), 'utf8')) as ConfigInput;
}

/** The problems `config` is refused with (`field: message`), or [] when it is valid. */
export function problemsOf(config: unknown): string[] {
  try {
    validateEnvironmentConfig(config, 'test');
  } catch (err) {
    if (err instanceof ConfigValidationError) return err.problems.map((p) => `${p.field}: ${p.message}`);
    throw err;
  }
  return [];
}

/** The problems of a shipped environment file after `patch` changed it. */
export function problemsAfter(patch: (c: ConfigInput) => void, env = 'dev'): string[] {
  const config = shippedConfig(env);
  patch(config);
  return problemsOf(config);
}
