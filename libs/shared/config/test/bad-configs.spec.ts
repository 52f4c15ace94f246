import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, loadEnvironmentConfig, validateEnvironmentConfig } from '../src';
import { problemsAfter, shippedConfig, shippedConfigFile, type ConfigInput } from './fixtures';

// Foundation settings (identity, region/AZs, network, database, production guard, unknown keys): every bad config is
// refused with a message that names the field and, where one was given, the value. The shipped files are the base.
type Config = ConfigInput;
const load = shippedConfig;
const problemsOf = problemsAfter;

describe('the shipped environment files', () => {
  it.each(['dev', 'staging', 'prod'])('%s is valid', (env) => {
    const c = loadEnvironmentConfig(shippedConfigFile(env));
    expect(c.environment).toBe(env);
    expect(c.environmentSuffix).toBe(env);
  });
});

describe('bad configs are refused, naming the field', () => {
  const cases: [string, (c: Config) => void, RegExp, string?][] = [
    ['a suffix with capitals or underscores', (c) => (c.environmentSuffix = 'Dev_1'), /^environmentSuffix: must be 1-20 lowercase letters, digits or hyphens.*, got "Dev_1"$/],
    ['a suffix ending in a hyphen', (c) => (c.environmentSuffix = 'dev-'), /^environmentSuffix: must be .*got "dev-"$/],
    ['two availability zones', (c) => (c.availabilityZones = ['us-east-1a', 'us-east-1b']), /^availabilityZones: must have exactly 3 items, got 2$/],
    ['an availability zone of another region', (c) => (c.availabilityZones[1] = 'eu-west-1b'), /^availabilityZones\.1: must be an availability zone of us-east-1 .*got "eu-west-1b"$/],
    ['the same availability zone twice', (c) => (c.availabilityZones = ['us-east-1a', 'us-east-1a', 'us-east-1b']), /^availabilityZones: must be three different zones/],
    ['a region other than us-east-1', (c) => (c.region = 'eu-west-1'), /^region: must be one of "us-east-1", got "eu-west-1"$/],
    ['an account id that is not 12 digits', (c) => (c.accountId = '12345'), /^accountId: must be a 12-digit AWS account id, got "12345"$/],
    ['an invalid VPC CIDR', (c) => (c.network.vpcCidr = '10.10.0.300/16'), /^network\.vpcCidr: must be an IPv4 CIDR block .*got "10\.10\.0\.300\/16"$/],
    ['a CIDR with host bits set', (c) => (c.network.publicSubnetCidrs[0] = '10.10.0.1/24'), /^network\.publicSubnetCidrs\.0: must be an IPv4 CIDR block with no host bits set.*got "10\.10\.0\.1\/24"$/],
    ['overlapping subnets', (c) => (c.network.isolatedSubnetCidrs[0] = '10.10.16.0/24'), /^network\.isolatedSubnetCidrs\.0: overlaps network\.privateSubnetCidrs\.0 \(10\.10\.16\.0\/20\), got 10\.10\.16\.0\/24$/],
    ['a subnet outside the VPC', (c) => (c.network.isolatedSubnetCidrs[2] = '10.99.66.0/24'), /^network\.isolatedSubnetCidrs\.2: must lie inside network\.vpcCidr 10\.10\.0\.0\/16, got 10\.99\.66\.0\/24$/],
    ['two subnets for three AZs', (c) => (c.network.privateSubnetCidrs = ['10.10.16.0/20', '10.10.32.0/20']), /^network\.privateSubnetCidrs: must have exactly 3 items, got 2$/],
    ['an unknown NAT mode', (c) => (c.network.natGateways = 'two'), /^network\.natGateways: must be one of "one-per-az", "single", got "two"$/],
    ['a flow-log retention CloudWatch does not offer', (c) => (c.network.flowLogRetentionDays = 10), /^network\.flowLogRetentionDays: must be one of the CloudWatch Logs retention values .*got 10$/],
    ['backups turned off', (c) => (c.database.backupRetentionDays = 0), /^database\.backupRetentionDays: must be at least 1, got 0$/],
    ['deletion protection missing', (c) => delete c.database.deletionProtection, /^database\.deletionProtection: is required \(boolean\)$/],
    ['deletion protection as a string', (c) => (c.database.deletionProtection = 'yes'), /^database\.deletionProtection: must be boolean, got "yes"$/],
    ['one reader', (c) => (c.database.readers = 1), /^database\.readers: must be at least 2, got 1$/],
    ['an engine version without a minor', (c) => (c.database.engineVersion = '16'), /^database\.engineVersion: must be an Aurora PostgreSQL version like 16\.6, got "16"$/],
    ['an unknown top-level key (typo)', (c) => (c.regoin = 'us-east-1'), /^regoin: is not a known setting/],
    ['an unknown nested key (typo)', (c) => (c.network.natGateway = 'single'), /^network\.natGateway: is not a known setting/],
    ['traffic weights not summing to 100', (c) => (c.services.monolith.traffic.green = 10), /^services\.monolith\.traffic: blue \+ green weights must sum to 100, got 100 \+ 10 = 110$/],
    ['a traffic weight above 100', (c) => Object.assign(c.services.monolith.traffic, { blue: -40, green: 140 }), /^services\.monolith\.traffic\.green: must be 0-100, got 140$/],
    ['a bad state bucket name', (c) => (c.state.bucket = 'Not_A_Bucket'), /^state\.bucket: must be a valid S3 bucket name, got "Not_A_Bucket"$/],
    ['a state key not ending in .tfstate', (c) => (c.state.key = 'dev/state.json'), /^state\.key: must be an S3 key ending in \.tfstate, got "dev\/state\.json"$/],
  ];

  it.each(cases)('%s', (_name, patch, expected) => {
    const problems = problemsOf(patch);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it('refuses production without deletion protection', () => {
    const problems = problemsOf((c) => {
      c.database.deletionProtection = false;
      c.loadBalancer.deletionProtection = false;
      c.network.natGateways = 'single';
    }, 'prod');
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^database\.deletionProtection: must be true in a production environment \(or set allowUnprotectedProduction\.reason\), got false$/),
        expect.stringMatching(/^loadBalancer\.deletionProtection: must be true in a production environment/),
        expect.stringMatching(/^network\.natGateways: must be 'one-per-az' in a production environment/),
      ]),
    );
  });

  it('accepts unprotected production only with allowUnprotectedProduction and a real reason', () => {
    const unprotect = (c: Config) => {
      c.database.deletionProtection = false;
      c.loadBalancer.deletionProtection = false;
    };
    expect(problemsOf((c) => (unprotect(c), (c.allowUnprotectedProduction = { reason: 'load test copy, rebuilt nightly' })), 'prod')).toEqual([]);
    expect(problemsOf((c) => (unprotect(c), (c.allowUnprotectedProduction = { reason: 'x' })), 'prod')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^allowUnprotectedProduction\.reason: must explain why \(at least 10 characters\), got "x"$/)]),
    );
  });

  it('reports every problem at once, one line per field', () => {
    const config = load('dev');
    config.environmentSuffix = 'BAD';
    config.availabilityZones = ['us-east-1a', 'us-east-1b'];
    config.network.vpcCidr = '10.10.0.0/33';
    config.network.isolatedSubnetCidrs[0] = '10.10.16.0/24';
    config.database.backupRetentionDays = 0;
    config.services.monolith.traffic.green = 10;
    config.colour = 'blue';
    let error: ConfigValidationError | undefined;
    try {
      validateEnvironmentConfig(config, 'apps/dev/environment.yaml');
    } catch (e) {
      error = e as ConfigValidationError;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const fields = error?.problems.map((p) => p.field) ?? [];
    expect(fields).toEqual(expect.arrayContaining(['environmentSuffix', 'availabilityZones', 'network.vpcCidr', 'database.backupRetentionDays', 'colour']));
    expect(fields.length).toBeGreaterThanOrEqual(5);
    expect(error?.message.split('\n')[0]).toMatch(/^Invalid configuration in apps\/dev\/environment\.yaml \(\d+ problems\):$/);
    for (const field of ['environmentSuffix', 'availabilityZones', 'network.vpcCidr', 'database.backupRetentionDays', 'colour']) {
      expect(error?.message).toMatch(new RegExp(`^  - ${field.replace('.', '\\.')}: `, 'm'));
    }
  });

  it('refuses YAML that is not well-formed or repeats a key, with the file named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bad-yaml-'));
    try {
      const file = join(dir, 'environment.yaml');
      writeFileSync(file, readFileSync(shippedConfigFile('dev'), 'utf8') + '\nregion: us-east-1\n');
      expect(() => loadEnvironmentConfig(file)).toThrow(/Invalid configuration in .*environment\.yaml[\s\S]*\(yaml\): Map keys must be unique/);
      writeFileSync(file, 'environment: [dev\n');
      expect(() => loadEnvironmentConfig(file)).toThrow(/\(yaml\): /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
