import { requiresLogicalReplication, validateEnvironmentConfig } from '../src';
import { problemsOf, shippedConfig } from './fixtures';

// The dev environment's reviewed config is the valid base; each case breaks one migration setting.
const base = () => shippedConfig('dev');
const prod = () => shippedConfig('prod');


const legacy = {
  kind: 'legacy',
  databaseName: 'orders',
  secretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:legacy-dms-AbCdEf',
  certificate: { pemFile: 'certs/legacy-ca.pem' },
  allowedCidrs: ['192.168.10.0/24'],
};

const withGreen = (c: Record<string, unknown>) => ({ ...c, database: { ...(c.database as object), green: { enabled: true } } });

describe('migration settings', () => {
  it('is off by default with sensible defaults', () => {
    const c = validateEnvironmentConfig(base(), 'test');
    expect(c.migration).toEqual({
      enabled: false,
      target: 'green',
      replicationInstance: { instanceClass: 'dms.t3.medium', allocatedStorageGb: 50, multiAz: false },
      include: [{ schema: 'public', table: '%' }],
      exclude: [],
      startTask: false,
      cdcLatencyAlarmSeconds: 300,
      createServiceRoles: true,
      logRetentionDays: 30,
      reverse: { enabled: false },
      verifyTask: { enabled: false, cpu: 1024, memory: 2048, caBundlePath: '/etc/ssl/certs/rds-global-bundle.pem', reportRetentionDays: 90, logRetentionDays: 30 },
    });
    expect(requiresLogicalReplication(c.migration)).toBe(false);
  });

  it('accepts a legacy source into the green cluster, and a blue source (which needs logical replication)', () => {
    const c = validateEnvironmentConfig({ ...withGreen(base()), migration: { enabled: true, source: legacy, exclude: [{ schema: 'public', table: 'audit_%' }] } }, 'test');
    expect(c.migration.source).toMatchObject({ kind: 'legacy', port: 5432 });
    expect(requiresLogicalReplication(c.migration)).toBe(false);
    const b = validateEnvironmentConfig({ ...withGreen(base()), migration: { enabled: true, source: { kind: 'blue' } } }, 'test');
    expect(requiresLogicalReplication(b.migration)).toBe(true);
    // legacy straight into blue needs no green cluster
    expect(problemsOf({ ...base(), migration: { enabled: true, source: legacy, target: 'blue' } })).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['enabled without a source', { enabled: true }, "migration.source: is required when migration.enabled is true (kind 'legacy' with its settings, or kind 'blue')"],
    ['legacy without a database', { enabled: true, source: { ...legacy, databaseName: undefined } }, "migration.source.databaseName: is required when source.kind is 'legacy' (the database to migrate)"],
    ['a server name (it lives in the secret)', { enabled: true, source: { ...legacy, serverName: 'db.example.com' } }, 'migration.source.serverName: is not a known setting'],
    ['legacy without a secret', { enabled: true, source: { ...legacy, secretArn: undefined } }, "migration.source.secretArn: is required when source.kind is 'legacy' (Secrets Manager secret with the replication user)"],
    ['legacy without a certificate', { enabled: true, source: { ...legacy, certificate: undefined } }, "migration.source.certificate: is required when source.kind is 'legacy' (CA certificate for TLS verify-full: arn or pemFile)"],
    ['a certificate with both arn and pemFile', { enabled: true, source: { ...legacy, certificate: { arn: 'arn:aws:dms:us-east-1:111111111111:cert:X', pemFile: 'a.pem' } } }, 'migration.source.certificate: must set exactly one of arn or pemFile, got both'],
    ['a password-looking secret', { enabled: true, source: { ...legacy, secretArn: 'hunter2' } }, 'migration.source.secretArn: must be a Secrets Manager secret ARN, got "hunter2"'],
    ['a password field', { enabled: true, source: { ...legacy, password: 'hunter2' } }, 'migration.source.password: is not a known setting'],
    ['a bad port', { enabled: true, source: { ...legacy, port: 70000 } }, 'migration.source.port'],
    ['blue source with a secret', { enabled: true, source: { kind: 'blue', secretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:x' } }, "migration.source.secretArn: must not be set when source.kind is 'blue' (the blue cluster provides it), got \"arn:aws:secretsmanager:us-east-1:111111111111:secret:x\""],
    ['blue into blue', { enabled: true, source: { kind: 'blue' }, target: 'blue' }, "migration.target: must be 'green' when source.kind is 'blue' (a cluster cannot replicate into itself), got 'blue'"],
    ['a bad instance class', { enabled: true, source: legacy, replicationInstance: { instanceClass: 'r5.large' } }, 'migration.replicationInstance.instanceClass: must be a DMS instance class like dms.r5.large, got "r5.large"'],
    ['an exclude equal to an include', { enabled: true, source: legacy, exclude: [{ schema: 'public', table: '%' }] }, 'migration.exclude.0: excludes exactly what an include rule selects (public.%): nothing would be migrated from it'],
    ['a bad table pattern', { enabled: true, source: legacy, include: [{ schema: 'public', table: 'x; drop' }] }, 'migration.include.0.table'],
    ['a bad alarm threshold', { enabled: true, source: legacy, cdcLatencyAlarmSeconds: 1 }, 'migration.cdcLatencyAlarmSeconds'],
    ['reverse replication without TLS verify-full on Aurora', { enabled: true, source: legacy, reverse: { enabled: true } }, 'migration.targetCertificateArn: is required when reverse.enabled is true'],
    ['reverse replication without a migration', { enabled: false, reverse: { enabled: true } }, 'migration.reverse.enabled: needs migration.enabled: true'],
    ['a reverse secret that is not an ARN', { enabled: true, source: legacy, reverse: { enabled: true, targetSecretArn: 'hunter2' } }, 'migration.reverse.targetSecretArn: must be a Secrets Manager secret ARN, got "hunter2"'],
    ['a verify task without an image', { enabled: true, source: legacy, verifyTask: { enabled: true } }, 'migration.verifyTask.image: is required when verifyTask.enabled is true'],
    ['a verify task with a Fargate-impossible cpu', { enabled: true, source: legacy, verifyTask: { enabled: true, image: 'x/bluegreen:1', cpu: 300 } }, 'migration.verifyTask.cpu'],
    ['a verify task without a migration', { verifyTask: { enabled: true, image: 'x/bluegreen:1' } }, 'migration.verifyTask.enabled: needs migration.enabled: true'],
  ])('refuses %s, naming the field', (_name, migration, expected) => {
    const problems = problemsOf({ ...withGreen(base()), migration });
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))]));
  });

  it("refuses target 'green' without the green cluster", () => {
    expect(problemsOf({ ...base(), migration: { enabled: true, source: legacy } })).toContain(
      "migration.target: is 'green' but database.green.enabled is false: enable the green cluster to migrate into it",
    );
  });

  it('requires a multi-AZ replication instance in production', () => {
    const p = withGreen(prod());
    expect(problemsOf({ ...p, migration: { enabled: true, source: legacy } })).toContain(
      'migration.replicationInstance.multiAz: must be true in a production environment (or set allowUnprotectedProduction.reason), got false',
    );
    expect(problemsOf({ ...p, migration: { enabled: true, source: legacy, replicationInstance: { multiAz: true } } })).toEqual([]);
  });

  it('turns logical decoding on for every cluster a DMS task reads changes from: blue as forward source, the target as reverse source', () => {
    const cert = 'arn:aws:dms:us-east-1:111111111111:cert:RDSCA';
    const fromBlue = validateEnvironmentConfig({ ...withGreen(base()), migration: { enabled: true, source: { kind: 'blue' }, targetCertificateArn: cert, reverse: { enabled: true } } }, 'test');
    expect([requiresLogicalReplication(fromBlue.migration, 'blue'), requiresLogicalReplication(fromBlue.migration, 'green')]).toEqual([true, true]);
    const fromLegacy = validateEnvironmentConfig({ ...withGreen(base()), migration: { enabled: true, source: legacy, targetCertificateArn: cert, reverse: { enabled: true } } }, 'test');
    expect([requiresLogicalReplication(fromLegacy.migration, 'blue'), requiresLogicalReplication(fromLegacy.migration, 'green')]).toEqual([false, true]);
    const noReverse = validateEnvironmentConfig({ ...withGreen(base()), migration: { enabled: true, source: legacy } }, 'test');
    expect(requiresLogicalReplication(noReverse.migration, 'green')).toBe(false);
  });
});
