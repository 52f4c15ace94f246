import { chooseServerUser, traversableByOthers, type ServerUser } from './runtime';

const users = (known: Record<string, number>) => (name: string): ServerUser | undefined => (name in known ? { name, uid: known[name], gid: known[name] } : undefined);

describe('chooseServerUser: as whom the test server runs', () => {
  it('not root: as the current user, whatever users the machine has', () => {
    expect(chooseServerUser({ currentUid: 1000, lookup: users({}) })).toEqual({ how: 'as the current user' });
  });

  it('root: as postgres when the machine has it, or the user BLUEGREEN_PG_RUN_AS names', () => {
    expect(chooseServerUser({ currentUid: 0, lookup: users({ postgres: 101, nobody: 65534 }) }).user?.name).toBe('postgres');
    expect(chooseServerUser({ currentUid: 0, wanted: 'ci', lookup: users({ postgres: 101, ci: 1001 }) }).user).toEqual({ name: 'ci', uid: 1001, gid: 1001 });
  });

  it('root, no postgres user: as nobody, and says why', () => {
    const choice = chooseServerUser({ currentUid: 0, lookup: users({ nobody: 65534 }) });
    expect(choice.user?.uid).toBe(65534);
    expect(choice.how).toContain('there is no user postgres');
  });

  it('root, neither postgres nor nobody: creates a system user for it', () => {
    const known: Record<string, number> = {};
    const created: string[] = [];
    const choice = chooseServerUser({ currentUid: 0, lookup: users(known), create: (name) => (created.push(name), (known[name] = 998)) });
    expect(created).toEqual(['bluegreen-pg']);
    expect(choice.user).toEqual({ name: 'bluegreen-pg', uid: 998, gid: 998 });
  });

  it('never runs the server as root, even when a named user is uid 0', () => {
    const choice = chooseServerUser({ currentUid: 0, wanted: 'toor', lookup: users({ toor: 0, nobody: 65534 }) });
    expect(choice.user?.uid).toBe(65534);
  });

  it('root, no user and none can be created: a clear error that says what to set', () => {
    expect(() =>
      chooseServerUser({
        currentUid: 0,
        lookup: users({}),
        create: () => {
          throw new Error('useradd: Permission denied');
        },
      }),
    ).toThrow(/no user postgres or nobody .* creating bluegreen-pg failed \(useradd: Permission denied\)\. Name an existing unprivileged user in BLUEGREEN_PG_RUN_AS/);
  });
});

describe('traversableByOthers', () => {
  it('is false under a private directory (what mktemp -d makes) and true for /tmp', () => {
    const { mkdtempSync, mkdirSync, rmSync } = require('node:fs') as typeof import('node:fs');
    const { join } = require('node:path') as typeof import('node:path');
    const priv = mkdtempSync(join(require('node:os').tmpdir(), 'bluegreen-private-'));
    try {
      mkdirSync(join(priv, 'p'), { mode: 0o755 });
      expect(traversableByOthers(join(priv, 'p'))).toBe(false);
      expect(traversableByOthers('/tmp')).toBe(true);
    } finally {
      rmSync(priv, { recursive: true, force: true });
    }
  });
});
