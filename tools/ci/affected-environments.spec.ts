/**
 * The pull-request workflow plans the environments `nx show projects --affected` names. That list must follow the
 * artefacts: the schema-validator bundle is zipped into every environment's Terraform, so a change to the function
 * or to anything it is built from has to plan every environment. Proven on a throwaway git repository holding this
 * workspace's files, with the real nx.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { affectedEnvironments, ENVIRONMENTS } from './affected-environments';

const ROOT = resolve(__dirname, '..', '..');
const NX = join(ROOT, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=affected-test', '-c', 'user.email=affected-test@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
  });
}

/** `nx show projects --affected --json` in `cwd`, with extra arguments. */
function affected(cwd: string, ...args: string[]): string[] {
  const r = spawnSync(process.execPath, [NX, 'show', 'projects', '--affected', '--json', ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_SKIP_NX_CACHE: 'true', CI: 'true' },
  });
  if (r.status !== 0) throw new Error(`nx show projects --affected ${args.join(' ')} failed (${r.status}):\n${r.stderr || r.stdout}`);
  return JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as string[];
}

describe('nx affected follows the schema-validator bundle into every environment', () => {
  let repo: string;

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'affected-'));
    // The workspace as it is now (tracked and new files), without build output or caches.
    const files = git(ROOT, 'ls-files', '--cached', '--others', '--exclude-standard', '-z').split('\0').filter(Boolean);
    for (const file of files) {
      if (!existsSync(join(ROOT, file))) continue; // deleted in the working tree
      mkdirSync(dirname(join(repo, file)), { recursive: true });
      cpSync(join(ROOT, file), join(repo, file));
    }
    symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'));
    git(repo, 'init', '-q', '-b', 'main');
    appendFileSync(join(repo, '.git', 'info', 'exclude'), 'node_modules\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'base');
  }, 120_000);
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('a change to libs/db/schema-compat (bundled into the Lambda) affects dev, staging and prod', () => {
    appendFileSync(join(repo, 'libs', 'db', 'schema-compat', 'src', 'index.ts'), '// a change to the function\'s code\n');
    const projects = affected(repo);
    expect(projects).toEqual(expect.arrayContaining(['schema-compat', 'schema-validator', 'dev', 'staging', 'prod']));
    expect(affectedEnvironments(projects)).toEqual([...ENVIRONMENTS]);
    // As the pull-request workflow asks: the change committed on a branch, compared with main.
    git(repo, 'checkout', '-q', '-b', 'change');
    git(repo, 'commit', '-q', '-am', 'change schema-compat');
    expect(affectedEnvironments(affected(repo, '--base=main', '--head=HEAD'))).toEqual(['dev', 'prod', 'staging']);
  }, 240_000);

  it('so does a change to the bundle build itself (apps/schema-validator/build.ts)', () => {
    expect(affectedEnvironments(affected(repo, '--files=apps/schema-validator/build.ts'))).toEqual(['dev', 'prod', 'staging']);
  }, 120_000);

  it('a change nothing in an environment is built from plans no environment (the edge is not "everything")', () => {
    const projects = affected(repo, '--files=libs/operations/plan-review/src/index.ts');
    expect(projects).toContain('plan-review');
    expect(affectedEnvironments(projects)).toEqual([]);
  }, 120_000);
});
