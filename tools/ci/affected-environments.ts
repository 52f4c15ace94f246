/**
 * Which environments a pull request affects: the environment apps among `nx show projects --affected --json`.
 * Nx's project graph marks an environment affected when anything its Terraform is built from changes: the stack
 * and its constructs through their imports, and the schema-validator Lambda (whose bundle is zipped into every
 * environment) through the `implicitDependencies` of apps/<env>/project.json, so a change to the function's code
 * or to a library it bundles (schema-compat, pg-connect) plans every environment.
 *
 *   npx nx show projects --affected --base=$BASE --head=$HEAD --json | npx tsx tools/ci/affected-environments.ts
 * writes `environments=["dev","prod"]` and `any=true|false` to $GITHUB_OUTPUT (or stdout without it).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { listEnvironments } from '@bluegreen/contract';

/** The workspace's environments (each apps/<env>/environment.yaml). */
export const ENVIRONMENTS: readonly string[] = listEnvironments(resolve(__dirname, '..', '..'));

export function affectedEnvironments(projects: unknown): string[] {
  if (!Array.isArray(projects) || projects.some((p) => typeof p !== 'string')) {
    throw new Error(`affected projects: must be a JSON array of project names (nx show projects --json), got ${JSON.stringify(projects)?.slice(0, 80)}`);
  }
  return ENVIRONMENTS.filter((env) => (projects as string[]).includes(env));
}

export function githubOutputs(envs: readonly string[]): string {
  return `environments=${JSON.stringify(envs)}\nany=${envs.length > 0}\n`;
}

if (require.main === module) {
  try {
    const envs = affectedEnvironments(JSON.parse(readFileSync(0, 'utf8')));
    const out = githubOutputs(envs);
    if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, out);
    process.stdout.write(out);
  } catch (err) {
    process.stderr.write(`affected-environments: ${(err as Error).message}\n`);
    process.exit(2);
  }
}
