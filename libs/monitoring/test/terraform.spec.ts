// The alarms, topic and dashboard are proven against the real AWS provider 5.100: terraform validate + plan, offline.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countByType, offlineValidateAndPlan, prepareOffline, synthStack, validateIn } from '@bluegreen/testing-terraform';
import { Testing } from 'cdktf';
import { buildStack } from './fixture';

describe('BlueGreenMonitoring against the real AWS provider (offline)', () => {
  it('validates and plans 18 alarms, one topic, one subscription, one dashboard', () => {
    const result = offlineValidateAndPlan(synthStack(buildStack().stack), 'monitoring-construct');
    if (!result) return; // tools missing outside CI: the harness printed a loud warning (CI=true throws instead)
    expect(countByType(result.plan)).toEqual({
      aws_cloudwatch_metric_alarm: 18,
      aws_sns_topic: 1,
      aws_sns_topic_policy: 1,
      aws_sns_topic_subscription: 1,
      aws_cloudwatch_dashboard: 1,
    });
  }, 240_000);

  it('also synthesizes as HCL (cdktf synth --hcl, the way out) that terraform validates', () => {
    const hcl = Testing.synthHcl(buildStack().stack) as string;
    const dir = mkdtempSync(join(tmpdir(), 'monitoring-construct-hcl-'));
    try {
      writeFileSync(join(dir, 'cdk.tf'), hcl);
      const work = prepareOffline(dir, 'monitoring-construct-hcl');
      if (!work) return; // tools missing outside CI: loud warning printed (CI=true throws instead)
      try {
        expect(validateIn(work)).toMatchObject({ valid: true });
      } finally {
        work.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
