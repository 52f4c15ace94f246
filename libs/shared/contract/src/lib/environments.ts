/**
 * Where environments live in the workspace: `apps/<env>/environment.yaml`, one reviewed file each, next to the app
 * that synthesizes it. The command line, the synth script and the tests all discover them here.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const ENVIRONMENT_FILE = 'environment.yaml';
export const ENVIRONMENTS_DIR = 'apps';

/** Environment names are folder names: lowercase letters, digits and hyphens. */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

/** The nearest directory at or above `from` holding `nx.json`, or undefined. */
export function findWorkspaceRoot(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export const environmentAppDir = (root: string, env: string): string => join(root, ENVIRONMENTS_DIR, env);
export const environmentConfigPath = (root: string, env: string): string => join(environmentAppDir(root, env), ENVIRONMENT_FILE);

/** Every environment of the workspace (folders of `apps/` with an environment.yaml), sorted. */
export function listEnvironments(root: string): string[] {
  const apps = join(root, ENVIRONMENTS_DIR);
  if (!existsSync(apps)) return [];
  return readdirSync(apps, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(apps, d.name, ENVIRONMENT_FILE)))
    .map((d) => d.name)
    .sort();
}
