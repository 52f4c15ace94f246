import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Naming } from '@bluegreen/config';
import { BlueGreenGuardrails } from '@bluegreen/guardrails';
import { Aspects, TerraformStack, Testing } from 'cdktf';
import { DmsMigration } from '../src';
import { greenTarget, legacySource } from './fixture';

function buildStack(suffix: string) {
  const stack = new TerraformStack(Testing.app(), 'migration-guardrails');
  new AwsProvider(stack, 'aws', {
    region: 'us-east-1',
    defaultTags: [{ tags: { Environment: 'test', Project: 'bluegreen', Owner: 'platform-team', CostCenter: 'cc-1234', ManagedBy: 'cdktf' } }],
  });
  new DmsMigration(stack, 'migration', {
    naming: new Naming('test'),
    region: 'us-east-1',
    vpcId: 'vpc-123',
    subnetIds: ['subnet-a', 'subnet-b'],
    multiAz: true,
    source: legacySource,
    target: { ...greenTarget, certificateArn: 'arn:aws:dms:us-east-1:111111111111:cert:RDSCA' },
    alarmTopicArn: 'arn:aws:sns:us-east-1:111111111111:alarms-test',
    // The way back and the verify task too: every guardrail holds for them.
    reverse: {},
    verifyTask: { image: '111111111111.dkr.ecr.us-east-1.amazonaws.com/bluegreen:1.4.0', accountId: '111111111111' },
  });
  Aspects.of(stack).add(new BlueGreenGuardrails({ environmentSuffix: suffix }));
  return stack;
}

describe('DmsMigration and the guardrails', () => {
  it('passes every guardrail; the fixed-name DMS service roles are declared exceptions', () => {
    expect(() => Testing.synth(buildStack('test'))).not.toThrow();
    // The aspect really inspects these resources: under another suffix the names are refused.
    expect(() => Testing.synth(buildStack('other'))).toThrow(/BG001/);
  });
});
