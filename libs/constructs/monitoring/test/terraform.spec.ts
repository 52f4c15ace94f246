// The alarms, topic and dashboard are proven against the real AWS provider 5.100: terraform validate + plan, offline.
import { countByType, offlineValidateAndPlan, synthStack } from '@bluegreen/testing-terraform';
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

  // `cdktf synth --hcl` of these constructs is validated with the whole stack (apps/dev test), not again here.
});
