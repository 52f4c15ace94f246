import { join } from 'node:path';
import { loadEnvironmentConfig } from '@bluegreen/config';
import { BlueGreenApp } from '@bluegreen/stack';
import { StateBackendStack } from './state-backend-stack';

/** The environments whose state buckets this app bootstraps (their config files live in apps/<env>/). */
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

/** One `state-backend-<env>` stack per environment, each from that environment's reviewed config. */
export function createStateBackendApp(options: { outdir?: string; appsDir?: string } = {}): { app: BlueGreenApp; stacks: StateBackendStack[] } {
  const appsDir = options.appsDir ?? join(__dirname, '..', '..');
  // BlueGreenApp: `cdktf synth --hcl` here leaves cdk.tf alone, not beside an older cdk.tf.json.
  const app = new BlueGreenApp({ outdir: options.outdir });
  const stacks = ENVIRONMENTS.map((env) => {
    const config = loadEnvironmentConfig(join(appsDir, env, 'environment.yaml'));
    return new StateBackendStack(app, `state-backend-${config.environment}`, { config });
  });
  return { app, stacks };
}
