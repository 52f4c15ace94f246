// The staging environment: everything about it is in ./environment.yaml (one reviewed file).
// `npx cdktf synth` / `cdktf deploy` from this folder run this file (see cdktf.json); from the repository root,
// `npx cdktf deploy staging` builds the same stack through the root app.
import { join } from 'node:path';
import { createEnvironmentApp } from '@bluegreen/stack';

createEnvironmentApp(join(__dirname, 'environment.yaml')).app.synth();
