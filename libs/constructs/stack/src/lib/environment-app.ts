import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadEnvironmentConfig } from '@bluegreen/config';
import { App } from 'cdktf';
import { BlueGreenStack } from './blue-green-stack';

export interface EnvironmentAppOptions {
  /** Where to write Terraform JSON. @default - `CDKTF_OUTDIR` when run by the cdktf CLI, else `cdktf.out` */
  readonly outdir?: string;
  /** The built schema-validator bundle. @default - `<repo>/dist/apps/schema-validator` */
  readonly validatorBundleDir?: string;
}

export interface EnvironmentApp {
  readonly app: App;
  readonly stack: BlueGreenStack;
}

/**
 * What every `apps/<env>/main.ts` does: load and validate the environment's YAML (every problem reported at once),
 * then build one {@link BlueGreenStack} named after the environment. Call `.app.synth()` to write the JSON.
 */
export function createEnvironmentApp(configFile: string, options: EnvironmentAppOptions = {}): EnvironmentApp {
  const config = loadEnvironmentConfig(configFile);
  if (options.outdir) mkdirSync(options.outdir, { recursive: true });
  const app = new App({ outdir: options.outdir, skipValidation: false });
  const stack = new BlueGreenStack(app, config.environment, {
    config,
    configDir: dirname(resolve(configFile)),
    validatorBundleDir: options.validatorBundleDir,
  });
  return { app, stack };
}
