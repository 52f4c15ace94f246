import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

// The harness starts a server from any clone, as root or not, with or without a `postgres` user, and leaves
// nothing behind, also when the process is interrupted. Each case runs in a child process with its own settings,
// a dedicated server (not the project's shared one) and a private temporary directory.
const child = join(__dirname, 'fixtures', 'start-server.ts');
const tsx = require.resolve('tsx/cli');

interface Started {
  url: string;
  origin: string;
  base: string;
  serverUid: number;
}

function startInChild(env: Record<string, string>): { proc: ReturnType<typeof spawn>; started: Promise<Started> } {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.BLUEGREEN_TEST_SHARED_PG_URL;
  delete childEnv.BLUEGREEN_TEST_DATABASE_URL;
  const proc = spawn(process.execPath, [tsx, '--tsconfig', join(__dirname, '..', 'tsconfig.json'), child], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const started = new Promise<Started>((resolve, reject) => {
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as Started);
    });
    proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('exit', (code) => reject(new Error(`child exited with ${code} before the server started:\n${err}`)));
  });
  return { proc, started };
}

async function query(url: string, sql: string): Promise<string> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await c.connect();
  try {
    return String(Object.values((await c.query(sql)).rows[0])[0]);
  } finally {
    await c.end();
  }
}

function exited(proc: ReturnType<typeof spawn>): Promise<number | string | null> {
  return new Promise((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal)));
}

function processGone(base: string): boolean {
  const r = spawnSync('pgrep', ['-f', base], { encoding: 'utf8' });
  return r.status === 1 || r.stdout.trim() === '';
}

describe('the PostgreSQL test server starts from anywhere and cleans up', () => {
  const privateTmp = mkdtempSync(join(tmpdir(), 'bluegreen-private-tmp-')); // 0700, as mktemp -d makes
  afterAll(() => rmSync(privateTmp, { recursive: true, force: true }));

  it('with a private TMPDIR and no such user as BLUEGREEN_PG_RUN_AS names: runs (as an unprivileged uid when root), then Ctrl-C removes everything', async () => {
    const { proc, started } = startInChild({ TMPDIR: privateTmp, BLUEGREEN_PG_RUN_AS: 'bluegreen-no-such-user' });
    const s = await started;
    expect(await query(s.url, 'SELECT 1')).toBe('1');
    if (userInfo().uid === 0) {
      expect(s.serverUid).not.toBe(0);
      expect(s.origin).toContain('there is no user bluegreen-no-such-user');
    }
    expect(existsSync(s.base)).toBe(true);
    const exit = exited(proc);
    proc.kill('SIGINT');
    expect([130, 'SIGINT']).toContain(await exit); // tsx re-raises the signal as exit code 130
    expect(existsSync(s.base)).toBe(false);
    expect(processGone(s.base)).toBe(true);
  }, 120_000);

  it('a process that ends with an error still stops its server and removes its directory', async () => {
    const { proc, started } = startInChild({ BLUEGREEN_TEST_CHILD_CRASH: '1' });
    const s = await started;
    expect(await exited(proc)).toBe(1);
    expect(existsSync(s.base)).toBe(false);
    expect(processGone(s.base)).toBe(true);
  }, 120_000);
});
