// The construct's JSON is proven against the real AWS provider 5.100: terraform validate + plan, offline.
import { countByType, offlineValidateAndPlan, synthStack, itOffline } from '@bluegreen/testing-terraform';
import { buildStack, threeServices } from './fixture';

// Needs terraform and the provider mirror: skipped visibly where they are missing (a failure under CI=true).
const itTf = itOffline();

describe('BlueGreenCompute against the real AWS provider (offline)', () => {
  itTf('validates and plans three services: six ECS services and target groups, three listeners, four listener rules, three repositories, one ALB', () => {
    const { stack } = buildStack({
      services: threeServices({ app: { weights: { blue: 90, green: 10 }, stickinessSeconds: 300 } }),
      loadBalancer: {
        certificate: { domainName: 'app.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
        testListenerCidrs: ['10.0.0.0/8'],
        deletionProtection: false,
      },
    });
    const result = offlineValidateAndPlan(synthStack(stack), 'ecs-construct');
    const counts = countByType(result.plan);
    expect(counts).toMatchObject({
      aws_ecs_cluster: 1,
      aws_ecs_service: 6,
      aws_ecs_task_definition: 6,
      aws_lb: 1,
      aws_lb_target_group: 6,
      aws_lb_listener: 3,
      aws_lb_listener_rule: 4,
      aws_ecr_repository: 3,
      aws_ecr_lifecycle_policy: 3,
      aws_appautoscaling_target: 6,
      aws_appautoscaling_policy: 6,
      aws_acm_certificate: 1,
      aws_acm_certificate_validation: 1,
      aws_route53_record: 1,
    });
  }, 240_000);

  // `cdktf synth --hcl` of these constructs is validated with the whole stack (apps/dev test), not again here.
});
