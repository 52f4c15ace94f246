import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The workspace root: the nearest ancestor of `from` holding nx.json. */
export function findRepoRoot(from: string = __dirname): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`findRepoRoot: no nx.json above ${from}`);
    dir = parent;
  }
}

/** `node_modules/.cache/bluegreen` in the workspace (survives between runs, ignored by git). */
export function cacheDir(): string {
  return join(findRepoRoot(), 'node_modules', '.cache', 'bluegreen');
}
