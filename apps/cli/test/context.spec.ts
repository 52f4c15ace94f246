// The CLI context and output convention on their own: environment resolution, "did you mean", colour, streams.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closest, resolveEnvironment, UsageError } from '../src/context';
import { colorEnabled, createOutput } from '../src/output';

const ROOT = join(__dirname, '..', '..', '..');

describe('closest', () => {
  it.each([
    ['prdo', ['dev', 'prod', 'staging'], 'prod'],
    ['stats', ['status', 'cutover', 'rollback'], 'status'],
    ['stag', ['dev', 'prod', 'staging'], 'staging'],
    ['xyz', ['dev', 'prod', 'staging'], undefined],
    ['anything', [], undefined],
  ])('%s among %j -> %p', (name, candidates, expected) => {
    expect(closest(name, candidates)).toBe(expected);
  });
});

describe('resolveEnvironment', () => {
  let outside: string;
  beforeAll(() => {
    outside = mkdtempSync(join(tmpdir(), 'cli-context-'));
  });
  afterAll(() => rmSync(outside, { recursive: true, force: true }));

  it('finds apps/<env>/environment.yaml from anywhere inside the workspace', () => {
    expect(resolveEnvironment({ env: 'prod' }, join(ROOT, 'libs', 'shared'))).toEqual({
      env: 'prod',
      root: ROOT,
      appDir: join(ROOT, 'apps', 'prod'),
      configPath: join(ROOT, 'apps', 'prod', 'environment.yaml'),
      configGiven: false,
    });
  });

  it('an unknown environment is a usage error naming the closest and listing them all', () => {
    expect(() => resolveEnvironment({ env: 'stagin' }, ROOT)).toThrow(new UsageError(
      "--env stagin: unknown environment (did you mean 'staging'?); environments: dev, prod, staging (each is apps/<env>/environment.yaml; or pass --config <file>)",
    ));
  });

  it('outside a workspace: a usage error pointing at --config; with --config the file is used', () => {
    expect(() => resolveEnvironment({ env: 'dev' }, outside)).toThrow(UsageError);
    const file = join(outside, 'env.yaml');
    writeFileSync(file, 'environment: dev\n');
    expect(resolveEnvironment({ env: 'dev', config: 'env.yaml' }, outside)).toMatchObject({ configPath: file, configGiven: true, root: outside });
  });

  it('a --config that does not exist, or a malformed name, is a usage error', () => {
    expect(() => resolveEnvironment({ env: 'dev', config: 'nope.yaml' }, outside)).toThrow(new UsageError('--config nope.yaml: no such file'));
    expect(() => resolveEnvironment({ env: 'Dev!' }, ROOT)).toThrow(/must be an environment name/);
  });
});

describe('colour', () => {
  const tty = { write: () => true, isTTY: true };
  const pipe = { write: () => true, isTTY: false };
  it.each([
    [tty, {}, true],
    [pipe, {}, false],
    [tty, { NO_COLOR: '1' }, false],
    [tty, { TERM: 'dumb' }, false],
    [pipe, { FORCE_COLOR: '1' }, true],
    [tty, { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
  ])('%j with %j -> %p', (stream, env, expected) => {
    expect(colorEnabled(stream, env)).toBe(expected);
  });
});

describe('createOutput', () => {
  function collect(isTTY: boolean) {
    const streams = { out: '', err: '' };
    const out = createOutput('schema check', {
      stdout: { write: (s: string) => (streams.out += s), isTTY },
      stderr: { write: (s: string) => (streams.err += s), isTTY },
      env: {},
    });
    return { out, streams };
  }

  it('data to stdout; errors prefixed with the command, notes and progress to stderr; passwords redacted everywhere', () => {
    const { out, streams } = collect(false);
    out.data('report');
    out.json({ a: 1 });
    out.error('cannot reach postgres://app:hunter2-secret@db/app');
    out.note('hint');
    expect(out.progress('50 %')).toBe(false);
    expect(streams.out).toBe('report\n{\n  "a": 1\n}\n');
    expect(streams.err).toBe('bluegreen schema check: cannot reach postgres://app:***@db/app\nhint\n');
  });

  it('progress only when stderr is a terminal', () => {
    const { out, streams } = collect(true);
    expect(out.progress('50 %')).toBe(true);
    expect(streams.err).toBe('50 %\n');
    expect(streams.out).toBe('');
  });
});
