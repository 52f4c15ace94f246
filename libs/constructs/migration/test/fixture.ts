import type { AuroraEndpoint, LegacyPostgresSource } from '../src';

/** A syntactically valid (self-signed, test-only) CA certificate: public material, no key. */
export const PEM = `-----BEGIN CERTIFICATE-----
MIIBszCCAVmgAwIBAgIUQ2VydGlmaWNhdGVGb3JUZXN0c09ubHkwCgYIKoZIzj0EAwIwGTEXMBUGA1UEAwwObGVnYWN5LWRiLWNhMB4X
DTI2MDEwMTAwMDAwMFoXDTM2MDEwMTAwMDAwMFowGTEXMBUGA1UEAwwObGVnYWN5LWRiLWNhMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcD
-----END CERTIFICATE-----`;

export const legacySource: LegacyPostgresSource = {
  kind: 'legacy',
  databaseName: 'orders',
  secretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:legacy-dms-AbCdEf',
  certificatePem: PEM,
  allowedCidrs: ['192.168.10.0/24'],
};

export const greenTarget: AuroraEndpoint = {
  kind: 'aurora',
  colour: 'green',
  databaseName: 'app',
  securityGroupId: 'sg-green',
};
