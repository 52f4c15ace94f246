// Several services behind one load balancer, each with its own blue/green pair, route, weights, roles and image
// repository: the default service on the listeners' default actions, every other on listener rules.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Naming } from '@bluegreen/config';
import { BlueGreenGuardrails } from '@bluegreen/guardrails';
import { Aspects, TerraformStack, Testing } from 'cdktf';
import { deepDiff } from '../../test/deep-diff';
import { buildStack, computeProps, decodeJson, resource, resources, routedService, serviceProps, STRIPE, STRIPE_KEY, synthJson, threeServices, type Json } from '../../test/fixture';
import { serviceProblems } from './blue-green-compute';
import { imageRepositoryName, imageRepositoryUrl } from './blue-green-service';
import { BlueGreenLoadBalancer } from './load-balancer';
import type { ServiceSettings } from './blue-green-service';

const ref = (j: Json, type: string, part: string, attr: string) => {
  const names = resources(j, type).filter(([n]) => n.includes(part));
  if (names.length !== 1) throw new Error(`ref: ${type} ${part}: ${names.map(([n]) => n).join(', ') || 'none'}`);
  return `\${${type}.${names[0][0]}.${attr}}`;
};

describe('BlueGreenCompute with several services', () => {
  const json = synthJson({ services: threeServices() });
  const rules = Object.fromEntries(resources(json, 'aws_lb_listener_rule').map(([n, r]) => [n.replace(/^compute_service-/, '').replace(/_[0-9A-F]{8}$/, ''), r]));

  it('runs a blue and a green ECS service behind its own target groups for each service', () => {
    expect(resources(json, 'aws_ecs_service').map(([, s]) => s.name).sort()).toEqual(
      ['service-blue-test', 'service-green-test', 'service-catalog-blue-test', 'service-catalog-green-test', 'service-payments-blue-test', 'service-payments-green-test'].sort(),
    );
    expect(resources(json, 'aws_lb_target_group').map(([, g]) => g.name).sort()).toEqual(
      ['tg-blue-test', 'tg-green-test', 'tg-catalog-blue-test', 'tg-catalog-green-test', 'tg-payments-blue-test', 'tg-payments-green-test'].sort(),
    );
    const catalogBlue = resource(json, 'aws_ecs_service', 'service-catalog_blue_');
    expect(catalogBlue.load_balancer).toEqual([{ target_group_arn: ref(json, 'aws_lb_target_group', 'service-catalog_target-group-blue', 'arn'), container_name: 'app', container_port: 9090 }]);
    expect(resource(json, 'aws_lb_target_group', 'service-catalog_target-group-green')).toMatchObject({ port: 9090, tags: { Colour: 'green', Service: 'catalog' } });
  });

  it("keeps the default service on the listeners' default actions", () => {
    const https = resource(json, 'aws_lb_listener', 'https-listener');
    expect(https.default_action[0].forward.target_group).toEqual([
      { arn: ref(json, 'aws_lb_target_group', 'load-balancer_target-group-blue', 'arn'), weight: 100 },
      { arn: ref(json, 'aws_lb_target_group', 'load-balancer_target-group-green', 'arn'), weight: 0 },
    ]);
    expect(resource(json, 'aws_lb_listener', 'test-listener').default_action).toEqual([{ type: 'forward', target_group_arn: ref(json, 'aws_lb_target_group', 'load-balancer_target-group-green', 'arn') }]);
  });

  it('gives every other service a rule on the HTTPS listener with its own weighted forward, conditions and priority', () => {
    expect(Object.keys(rules).sort()).toEqual(['catalog_https-rule', 'catalog_test-rule', 'payments_https-rule', 'payments_test-rule']);
    expect(rules['payments_https-rule']).toMatchObject({
      listener_arn: ref(json, 'aws_lb_listener', 'https-listener', 'arn'),
      priority: 10,
      condition: [{ path_pattern: { values: ['/payments', '/payments/*'] } }],
      action: [
        {
          type: 'forward',
          forward: {
            target_group: [
              { arn: ref(json, 'aws_lb_target_group', 'service-payments_target-group-blue', 'arn'), weight: 100 },
              { arn: ref(json, 'aws_lb_target_group', 'service-payments_target-group-green', 'arn'), weight: 0 },
            ],
          },
        },
      ],
      tags: { Service: 'payments' },
    });
    expect(rules['catalog_https-rule']).toMatchObject({ priority: 20, condition: [{ host_header: { values: ['catalog.example.com'] } }] });
    expect(rules['catalog_https-rule'].action[0].forward.target_group.map((g: Json) => g.weight)).toEqual([0, 100]);
  });

  it("routes the test listener the same way, each rule to its service's colour under test", () => {
    expect(rules['payments_test-rule']).toMatchObject({
      listener_arn: ref(json, 'aws_lb_listener', 'test-listener', 'arn'),
      priority: 10,
      condition: rules['payments_https-rule'].condition,
      action: [{ type: 'forward', target_group_arn: ref(json, 'aws_lb_target_group', 'service-payments_target-group-green', 'arn') }],
    });
    // catalog is live on green: its colour under test is blue.
    expect(rules['catalog_test-rule'].action).toEqual([{ type: 'forward', target_group_arn: ref(json, 'aws_lb_target_group', 'service-catalog_target-group-blue', 'arn') }]);
  });

  it('creates a routed service after its listener rules (ECS attaches only to a target group a listener forwards to)', () => {
    const s = resource(json, 'aws_ecs_service', 'service-payments_blue_');
    expect(s.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_lb_listener_rule\.compute_service-payments_https-rule_/), expect.stringMatching(/^aws_lb_listener_rule\.compute_service-payments_test-rule_/)]));
    expect(resource(json, 'aws_ecs_service', 'compute_blue_').depends_on.filter((d: string) => d.startsWith('aws_lb_listener_rule'))).toEqual([]);
  });

  it('gives each service its own roles, reading only its own secrets and writing only its own log group', () => {
    const roles = resources(json, 'aws_iam_role').map(([, r]) => r.name);
    expect(roles).toEqual(expect.arrayContaining(['ecs-execution-payments-green-test', 'ecs-task-payments-green-test', 'ecs-execution-catalog-blue-test']));
    const policy = decodeJson(resource(json, 'aws_iam_role_policy', 'service-payments_green_execution-policy').policy).Statement;
    expect(policy.find((s: Json) => s.Sid === 'WriteLogs').Resource).toBe(`${ref(json, 'aws_cloudwatch_log_group', 'service-payments_green_', 'arn')}:*`);
    expect(policy.find((s: Json) => s.Sid === 'ReadSecrets')).toEqual({ Sid: 'ReadSecrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [STRIPE] });
    expect(policy.find((s: Json) => s.Sid === 'DecryptSecrets')).toMatchObject({ Action: 'kms:Decrypt', Resource: [STRIPE_KEY], Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } } });
    // Pulls only its own repository's images.
    expect(policy.find((s: Json) => s.Sid === 'PullImage')).toBeUndefined(); // green runs a public image
    const blue = decodeJson(resource(json, 'aws_iam_role_policy', 'service-payments_blue_execution-policy').policy).Statement;
    expect(blue.find((s: Json) => s.Sid === 'PullImage').Resource).toBe('arn:aws:ecr:us-east-1:333333333333:repository/ecr-payments-test');
    // No other service's execution policy mentions the payments secret.
    for (const [n, p] of resources(json, 'aws_iam_role_policy')) if (!n.includes('service-payments_green_')) expect(JSON.stringify(p.policy)).not.toContain('payments/stripe');
    const container = decodeJson(resource(json, 'aws_ecs_task_definition', 'service-payments_green_').container_definitions)[0];
    expect(container.secrets).toContainEqual({ name: 'STRIPE_KEY', valueFrom: `${STRIPE}:key::` });
    expect(resources(json, 'aws_cloudwatch_log_group').map(([, g]) => g.name)).toEqual(expect.arrayContaining(['ecs-logs-payments-blue-test', 'ecs-logs-catalog-green-test']));
  });

  it('lets the ALB reach each service on its own port only', () => {
    const albSg = ref(json, 'aws_security_group', 'load-balancer_security-group', 'id');
    const egress = resources(json, 'aws_vpc_security_group_egress_rule').filter(([, r]) => r.security_group_id === albSg);
    expect(egress.map(([, r]) => [r.referenced_security_group_id, r.from_port, r.to_port])).toEqual(
      expect.arrayContaining([
        [ref(json, 'aws_security_group', 'service-catalog_blue_', 'id'), 9090, 9090],
        [ref(json, 'aws_security_group', 'service-payments_green_', 'id'), 8080, 8080],
      ]),
    );
    expect(egress).toHaveLength(6);
    const catalogIngress = resources(json, 'aws_vpc_security_group_ingress_rule').filter(([, r]) => r.security_group_id === ref(json, 'aws_security_group', 'service-catalog_blue_', 'id'));
    expect(catalogIngress.map(([, r]) => r.from_port)).toEqual([9090]);
  });

  it('keeps an image repository per service: immutable tags, scan on push, AES256, a lifecycle policy, destroyable unless told', () => {
    const repos = resources(json, 'aws_ecr_repository').map(([, r]) => r);
    expect(repos.map((r) => r.name).sort()).toEqual(['ecr-app-test', 'ecr-catalog-test', 'ecr-payments-test']);
    for (const r of repos) {
      expect(r).toMatchObject({ image_tag_mutability: 'IMMUTABLE', image_scanning_configuration: { scan_on_push: true }, encryption_configuration: [{ encryption_type: 'AES256' }], force_delete: true });
      expect(r.encryption_configuration[0].kms_key).toBeUndefined();
    }
    const lifecycle = JSON.parse(resource(json, 'aws_ecr_lifecycle_policy', 'service-payments_').policy);
    expect(lifecycle.rules.map((r: Json) => [r.selection.tagStatus, r.selection.countType, r.selection.countNumber])).toEqual([
      ['untagged', 'sinceImagePushed', 14],
      ['any', 'imageCountMoreThan', 200],
    ]);
    expect(imageRepositoryName(new Naming('test'), 'payments')).toBe('ecr-payments-test');
    expect(imageRepositoryUrl(new Naming('test'), 'payments', '333333333333', 'us-east-1')).toBe('333333333333.dkr.ecr.us-east-1.amazonaws.com/ecr-payments-test');
    const kept = synthJson({ services: threeServices(), repositoryForceDelete: false });
    for (const [, r] of resources(kept, 'aws_ecr_repository')) expect(r.force_delete).toBe(false);
  });

  it('exposes each service: routes, target groups, colour services, repository', () => {
    const { compute } = buildStack({ services: threeServices() });
    expect(Object.keys(compute.services)).toEqual(['app', 'payments', 'catalog']);
    expect(compute.defaultService.name).toBe('app');
    expect(compute.service('app').route).toEqual({ kind: 'default-action', listenerArn: compute.loadBalancer.httpsListenerArn });
    expect(compute.service('payments').route.kind).toBe('listener-rule');
    expect(compute.service('catalog').testColour).toBe('blue');
    expect(compute.service('payments').green.serviceNameLiteral).toBe('service-payments-green-test');
    expect(() => compute.service('billing')).toThrow('BlueGreenCompute: no service "billing" (services: app, payments, catalog)');
  });

  it('moving one service changes the weights of its own rule and nothing else', () => {
    const before = JSON.parse(Testing.synth(buildStack({ services: threeServices() }).stack));
    const after = JSON.parse(Testing.synth(buildStack({ services: threeServices({ payments: { weights: { blue: 90, green: 10 } } }) }).stack));
    const rule = resources(before, 'aws_lb_listener_rule').find(([n]) => n.includes('service-payments_https-rule'))?.[0];
    expect(deepDiff(before, after)).toEqual([
      `resource.aws_lb_listener_rule.${rule}.action.0.forward.target_group.0.weight`,
      `resource.aws_lb_listener_rule.${rule}.action.0.forward.target_group.1.weight`,
    ]);
  });

  it('passes every guardrail with several services', () => {
    const { stack } = buildStack({ services: threeServices() });
    Aspects.of(stack).add(new BlueGreenGuardrails({ environmentSuffix: 'test' }));
    expect(() => Testing.synth(stack)).not.toThrow();
  });
});

describe('BlueGreenCompute refuses a services list that cannot work, naming the prop, the value and what is allowed', () => {
  const naming = new Naming('test');
  const problems = (services: ServiceSettings[]) => serviceProblems(naming, services);

  it('accepts the three-service list', () => {
    expect(problems(threeServices())).toEqual([]);
  });

  it('refuses two defaults, and none', () => {
    expect(problems([serviceProps(), { ...routedService('payments'), routing: { default: true } }])).toEqual([
      "BlueGreenCompute: services[1].routing.default must be set on one service only (services[0] 'app' is the default route), got true",
    ]);
    expect(problems([routedService('payments')])).toEqual(['BlueGreenCompute: services must have exactly one default service (routing: { default: true }); none has, got ["payments"]']);
    expect(problems([])).toEqual(['BlueGreenCompute: services must list at least one service (exactly one with routing.default), got []']);
  });

  it('refuses a duplicate priority and a duplicate path pattern', () => {
    expect(problems([serviceProps(), routedService('payments'), routedService('billing', { routing: { pathPatterns: ['/billing/*'], priority: 10 } })])).toEqual([
      "BlueGreenCompute: services[2].routing.priority must be unique on the listener (services[1] 'payments' has it), got 10",
    ]);
    expect(problems([serviceProps(), routedService('payments'), routedService('billing', { routing: { pathPatterns: ['/payments/*'], priority: 11 } })])).toEqual([
      `BlueGreenCompute: services[2].routing.pathPatterns must not repeat a path pattern of services[1] 'payments' ("/payments/*"); give them different host headers or paths, got ["/payments/*"]`,
    ]);
    // The same path under different host headers is two different routes.
    expect(
      problems([
        serviceProps(),
        routedService('payments', { routing: { pathPatterns: ['/api/*'], hostHeaders: ['pay.example.com'], priority: 10 } }),
        routedService('billing', { routing: { pathPatterns: ['/api/*'], hostHeaders: ['bill.example.com'], priority: 11 } }),
      ]),
    ).toEqual([]);
    expect(problems([serviceProps(), routedService('a', { routing: { hostHeaders: ['x.example.com'], priority: 1 } }), routedService('b', { routing: { hostHeaders: ['X.example.com'], priority: 2 } })])).toEqual([
      `BlueGreenCompute: services[2].routing.hostHeaders must not repeat a host header of services[1] 'a' ("x.example.com") unless both narrow it by different paths, got ["x.example.com"]`,
    ]);
  });

  it('refuses names that break the 32-character target group limit, saying how long a name may be', () => {
    expect(problems([serviceProps(), routedService('order-history-export')])).toEqual([
      'BlueGreenCompute: services[1].name makes the target group name "tg-order-history-export-green-test" 34 characters; AWS allows 32, so with suffix "test" a service name may have at most 18 characters, got "order-history-export"',
    ]);
    expect(serviceProblems(new Naming('production-eu-west'), [serviceProps(), routedService('payments')])[0]).toMatch(/at most 4 characters, got "payments"/);
  });

  it('refuses bad names, reserved names, a repeated name and a second service with unqualified names', () => {
    expect(problems([serviceProps(), routedService('Payments'), routedService('db', { routing: { pathPatterns: ['/db'], priority: 2 } })])).toEqual([
      'BlueGreenCompute: services[1].name must be lowercase letters and digits in hyphen-separated words, starting with a letter, got "Payments"',
      'BlueGreenCompute: services[2].name must not be one of db, blue, green (they collide with other resource names), got "db"',
    ]);
    expect(problems([serviceProps(), { ...routedService('app'), routing: { pathPatterns: ['/x'], priority: 3 } }])).toEqual(['BlueGreenCompute: services[1].name must be unique (services[0] has it too), got "app"']);
    expect(problems([serviceProps(), { ...routedService('payments'), unqualifiedNames: true }])).toEqual([
      "BlueGreenCompute: services[1].unqualifiedNames may be set on one service only (services[0] 'app' keeps the unqualified names), got true",
    ]);
  });

  it('refuses routes an ALB rule cannot hold', () => {
    expect(
      problems([
        serviceProps(),
        routedService('payments', { routing: { pathPatterns: ['payments', '/a', '/b', '/c', '/d', '/e'], priority: 0 } }),
        routedService('catalog', { routing: { hostHeaders: ['localhost'], priority: 50001 } }),
        routedService('search', { routing: { priority: 30 } }),
      ]),
    ).toEqual([
      'BlueGreenCompute: services[1].routing.priority must be a whole number 1-50000, got 0',
      'BlueGreenCompute: services[1].routing may hold at most 5 path patterns and host headers together (an ALB rule limit), got ["payments","/a","/b","/c","/d","/e"]',
      `BlueGreenCompute: services[1].routing.pathPatterns[0] must be an ALB path pattern: up to 128 characters starting with '/', letters, digits, _ - . $ / ~ " ' @ : + & and the wildcards * ?, got "payments"`,
      'BlueGreenCompute: services[2].routing.priority must be a whole number 1-50000, got 50001',
      "BlueGreenCompute: services[2].routing.hostHeaders[0] must be a host name with at least one '.': up to 128 characters of letters, digits, - . and the wildcards * ?, got \"localhost\"",
      'BlueGreenCompute: services[3].routing must give pathPatterns and/or hostHeaders (or be the default service), got {"priority":30}',
    ]);
  });

  it('a load balancer without a default route does not synthesize, and takes one default route only', () => {
    const stack = new TerraformStack(Testing.app(), 'lb-only');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const p = computeProps();
    const lb = new BlueGreenLoadBalancer(stack, 'lb', { naming: p.naming, accountId: p.accountId, vpcId: p.vpcId, publicSubnetIds: p.publicSubnetIds, ...p.loadBalancer });
    expect(() => Testing.synth(stack, true)).toThrow(/BlueGreenLoadBalancer: no default route; call routeDefault\(\)/);
    const forward = { targetGroupArns: { blue: 'arn:tg/blue', green: 'arn:tg/green' }, weights: { blue: 100, green: 0 }, testColour: 'green' as const };
    lb.routeDefault(forward);
    expect(() => Testing.synth(stack, true)).not.toThrow();
    expect(() => lb.routeDefault(forward)).toThrow('BlueGreenLoadBalancer: routeDefault() was already called; an environment has exactly one default service');
  });

  it('reports every problem at once from the constructor', () => {
    expect(() => buildStack({ services: [routedService('payments', { weights: { blue: 50, green: 20 } })] })).toThrow(
      /BlueGreenCompute: 2 problems:\n {2}- BlueGreenCompute: services\[0\]\.weights must sum to 100, got \{"blue":50,"green":20\}\n {2}- BlueGreenCompute: services must have exactly one default service/,
    );
    expect(() => computeProps({ services: threeServices() })).not.toThrow();
  });
});
