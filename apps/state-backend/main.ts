// Bootstraps each environment's S3 state bucket, with local state: `npx cdktf deploy state-backend-<env>`.
import { createStateBackendApp } from './src/app';

createStateBackendApp().app.synth();
