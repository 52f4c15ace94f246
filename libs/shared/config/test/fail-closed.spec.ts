// Holes a hurried or hostile edit could slip through: each is refused by field, with the reason.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, loadEnvironmentConfig, readEnvironmentConfig, configContentHash } from '../src';
import { problemsAfter, shippedConfigFile } from './fixtures';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bg-config-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The `field: message` lines of loading `text` as a file at `rel` under a temp dir. */
function problemsLoading(text: string, rel = 'environment.yaml'): string[] {
  const file = join(dir, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  try {
    loadEnvironmentConfig(file);
  } catch (err) {
    if (err instanceof ConfigValidationError) return err.problems.map((p) => `${p.field}: ${p.message}`);
    throw err;
  }
  return [];
}

const devText = () => readFileSync(shippedConfigFile('dev'), 'utf8');

describe('certificate ARNs belong to the environment', () => {
  it('a certificate of another account is refused, naming both accounts', () => {
    const problems = problemsAfter((c) => (c.loadBalancer.certificate.arn = 'arn:aws:acm:us-east-1:999999999999:certificate/00000000-0000-4000-8000-000000000001'));
    expect(problems).toEqual([expect.stringMatching(/^loadBalancer\.certificate\.arn: must be an ACM certificate in us-east-1 of account 111111111111 .*it is in account 999999999999, but accountId is 111111111111/)]);
  });

  it('a certificate of another region is refused, naming both regions', () => {
    const problems = problemsAfter((c) => (c.loadBalancer.certificate.arn = 'arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-4000-8000-000000000001'));
    expect(problems).toEqual([expect.stringMatching(/^loadBalancer\.certificate\.arn: .*it is in region eu-west-1, but region is us-east-1/)]);
  });

  it('a DMS target certificate of another account is refused too', () => {
    const problems = problemsAfter((c) => (c.migration = { ...(c.migration ?? {}), targetCertificateArn: 'arn:aws:dms:us-east-1:999999999999:cert:ABCDEF' }));
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^migration\.targetCertificateArn: .*account 999999999999, but accountId is 111111111111/)]));
  });
});

describe('writablePaths', () => {
  it.each([
    ['/../etc', /no "\.\.", "\." or empty segments/],
    ['/tmp/../../etc', /no "\.\.", "\." or empty segments/],
    ['/tmp/./x', /no "\.\.", "\." or empty segments/],
    ['//tmp', /no "\.\.", "\." or empty segments/],
    ['tmp', /must be an absolute path/],
    ['./tmp', /must be an absolute path/],
    ['/', /must not be the root filesystem/],
  ])('%s is refused', (path, why) => {
    const problems = problemsAfter((c) => (c.services.monolith.blue.writablePaths = ['/tmp', path]));
    const line = problems.find((p) => p.startsWith('services.monolith.blue.writablePaths.1: ') && why.test(p));
    expect(line).toBeDefined();
    expect(line).toContain(`got ${JSON.stringify(path)}`);
  });
});

describe('the folder names the environment', () => {
  it('environment: prod inside apps/dev/environment.yaml is refused', () => {
    const problems = problemsLoading(devText().replace(/^environment: dev$/m, 'environment: prod'), join('apps', 'dev', 'environment.yaml'));
    expect(problems).toEqual(['environment: must be "dev": the file lives in apps/dev/, which names the environment, got "prod"']);
  });

  it('the same file elsewhere (a --config copy) is read as it says', () => {
    expect(problemsLoading(devText().replace(/^environment: dev$/m, 'environment: prod'), join('copies', 'environment.yaml'))).toEqual([]);
  });
});

describe('YAML that is not plain data', () => {
  it('an alias bomb is a config error naming the YAML, not a raw ReferenceError', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n');
    const file = join(dir, 'environment.yaml');
    writeFileSync(file, `${devText()}\nbomb:\n${bomb.replace(/^/gm, '  ')}\n`);
    let thrown: unknown;
    try {
      loadEnvironmentConfig(file);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigValidationError);
    expect((thrown as ConfigValidationError).problems).toEqual([{ field: '(yaml)', message: expect.stringMatching(/^uses YAML aliases so heavily .*more than 100 alias expansions/) }]);
  });

  it('1e309 is reported as not a finite number, not as null', () => {
    const problems = problemsLoading(devText().replace(/^(\s+desiredCount:) \d+$/m, '$1 1e309'));
    expect(problems).toEqual([expect.stringMatching(/^services\.monolith\.blue\.desiredCount: must be a finite number, got Infinity \(not a finite number\)$/)]);
    expect(problems.join('\n')).not.toContain('null');
  });
});

describe('readEnvironmentConfig', () => {
  it('returns the text and the hash of exactly what it validated', () => {
    const file = join(dir, 'environment.yaml');
    writeFileSync(file, devText());
    chmodSync(file, 0o644);
    const snap = readEnvironmentConfig(file);
    expect(snap.text).toBe(devText());
    expect(snap.hash).toBe(configContentHash(devText()));
    expect(snap.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(snap.config.environment).toBe('dev');
  });
});
