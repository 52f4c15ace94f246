import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aspects, Testing } from 'cdktf';
import { createEnvironmentApp } from '@bluegreen/stack';
import { BlueGreenGuardrails, formatFinding, GuardrailViolationError } from '@bluegreen/guardrails';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';

/**
 * The guardrails on the REAL environment stacks (dev, staging, prod), configured from each environment's own file.
 * Lives here (apps → stack, guardrails) because a library may not import libs/constructs/stack.
 */
const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

function build(env: string) {
  const { stack } = createEnvironmentApp(join(__dirname, '..', '..', env, 'environment.yaml'), { outdir: mkdtempSync(join(tmpdir(), `guardrails-${env}-`)) });
  const c = stack.config;
  const guardrails = new BlueGreenGuardrails({
    environmentSuffix: c.environmentSuffix,
    databaseDeletionProtection: c.database.deletionProtection,
    loadBalancerDeletionProtection: c.loadBalancer.deletionProtection,
    minBackupRetentionDays: 7,
  });
  return { stack, guardrails };
}

describe('guardrails on the environment stacks', () => {
  it.each(ENVIRONMENTS)('%s: no violations; every suppression is declared with its reason', (env) => {
    const { stack, guardrails } = build(env);
    const report = guardrails.check(stack);
    expect(report.violations.map(formatFinding)).toEqual([]);
    // Reviewed exceptions (e.g. AWS-mandated fixed names of DMS service roles) are allowed, never silent.
    for (const s of report.suppressed) expect(s.suppression.reason.length).toBeGreaterThanOrEqual(10);
  });

  it('as an Aspect, a planted violation in the real stack fails synth naming rule and path', () => {
    const { stack, guardrails } = build('dev');
    new VpcEndpoint(stack.network, 'sneaky-endpoint', { vpcId: stack.network.vpcId, serviceName: 'com.amazonaws.us-east-1.s3' });
    Aspects.of(stack).add(guardrails);
    expect(() => Testing.synth(stack)).toThrow(GuardrailViolationError);
    // A second synth analyses again (and fails again).
    expect(() => Testing.synth(stack)).toThrow(/\[BG003\] dev\/network\/sneaky-endpoint \(aws_vpc_endpoint\.network_sneaky-endpoint_[0-9A-F]+\)/);
  });
});
