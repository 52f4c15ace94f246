/**
 * A password given to the command line never comes back out of it: every failure path of the schema, data, plan,
 * migration and completion commands and of the command parser, fed a known password (in well-formed URLs, in a URL
 * no parser accepts, in the environment, in an input file), and neither stdout nor stderr may contain it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/main';

jest.setTimeout(120_000);

const PW = 'Sup3r-S3cret-Pa55word';
const ROOT = join(__dirname, '..', '..', '..');
// Port 1: nothing listens, the connection is refused at once (the error names the target, which holds the password).
const REFUSED = `postgres://app:${PW}@127.0.0.1:1/app`;
const MALFORMED = `postgres://u:${PW}@[::1/b`;

let dir: string;
let stdout = '';
let stderr = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-redaction-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  stdout = '';
  stderr = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
});
afterEach(() => jest.restoreAllMocks());

function file(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

const CASES: readonly [string, () => string[], number][] = [
  ['schema check: a --green URL no parser accepts', () => ['schema', 'check', '--blue', REFUSED, '--green', MALFORMED], 64],
  ['schema check: connection refused (text)', () => ['schema', 'check', '--blue', REFUSED, '--green', REFUSED, '--connect-timeout', '5'], 2],
  ['schema check: connection refused (json)', () => ['schema', 'check', '--blue', REFUSED, '--green', REFUSED, '--format', 'json', '--connect-timeout', '5'], 2],
  ['data verify: a --source URL no parser accepts', () => ['data', 'verify', '--source', MALFORMED, '--target', REFUSED, '--connect-timeout', '5'], 2],
  ['data verify: connection refused (text)', () => ['data', 'verify', '--source', REFUSED, '--target', REFUSED, '--connect-timeout', '5'], 2],
  ['data verify: connection refused (json)', () => ['data', 'verify', '--source', REFUSED, '--target', REFUSED, '--format', 'json', '--connect-timeout', '5'], 2],
  ['data verify: a malformed --shard beside the URLs', () => ['data', 'verify', '--source', REFUSED, '--target', REFUSED, '--shard', '9/2'], 64],
  [
    'data verify merge: a shard result that carries the URL in its error',
    () => ['data', 'verify', 'merge', file('shard.json', JSON.stringify({ identical: false, error: { kind: 'connection', message: `cannot reach ${REFUSED}` } }))],
    2,
  ],
  ['plan review: an unreadable file named by a URL', () => ['plan', 'review', REFUSED], 2],
  ['plan review: a plan that is not JSON and holds the password', () => ['plan', 'review', file('plan.json', `{"password": "${PW}", `)], 2],
  ['migration status: an unreadable --outputs', () => ['migration', 'status', '--env', 'prod', '--outputs', REFUSED], 2],
  ['migration status: --env given a URL', () => ['migration', 'status', '--env', REFUSED, '--outputs', 'x.json'], 64],
  ['an unknown command that is a URL', () => [REFUSED], 64],
  ['an unknown subcommand that is a URL', () => ['schema', REFUSED, '--help'], 64],
  ['an unknown option beside a URL', () => ['schema', 'check', `--blue=${REFUSED}`, '--green', REFUSED, '--bogus'], 64],
  ['completion: an unknown shell that is a URL', () => ['completion', MALFORMED], 64],
];

describe.each(CASES)('%s', (_name, args, code) => {
  it(`exits ${code}; the password is on neither stdout nor stderr`, async () => {
    expect(await main(['node', 'bluegreen', ...args()])).toBe(code);
    expect(stdout + stderr).not.toContain(PW);
    expect(stderr).not.toBe(''); // it did say what went wrong
  });
});

it('data verify with the password in BLUEGREEN_SOURCE_PASSWORD (the verify task): refused, the password nowhere', () => {
  const env = { ...process.env, BLUEGREEN_SOURCE_HOST: '127.0.0.1', BLUEGREEN_SOURCE_PORT: '1', BLUEGREEN_SOURCE_USER: 'app', BLUEGREEN_SOURCE_PASSWORD: PW, BLUEGREEN_SOURCE_DATABASE: 'app' };
  for (const format of ['text', 'json']) {
    const r = spawnSync(process.execPath, [join(ROOT, 'apps', 'cli', 'bin', 'bluegreen.js'), 'data', 'verify', '--target', REFUSED, '--format', format, '--connect-timeout', '5'], { cwd: ROOT, env, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).not.toContain(PW);
  }
});
