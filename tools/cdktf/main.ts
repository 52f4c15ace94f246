// The repository root's cdktf app (see /cdktf.json): every environment of apps/<env>/environment.yaml as a stack
// named after it, built by the same code as each apps/<env>/main.ts.
//   npx cdktf synth            every environment -> cdktf.out/stacks/<env>
//   npx cdktf diff prod        plan one environment;  npx cdktf deploy prod   apply it
// The state bucket bootstraps (apps/state-backend) are not part of it: they keep local state next to their app.
import { createWorkspaceApp } from '@bluegreen/stack';

createWorkspaceApp().app.synth();
