import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { BlueGreenGuardrails } from '@bluegreen/guardrails';
import { Aspects, Testing } from 'cdktf';
import { BLUE_KEY, BLUE_SECRET, buildStack, computeProps, decodeJson, ECR_IMAGE, GREEN_KEY, GREEN_SECRET, resource, resources, serviceProps, synthJson, type Json } from '../../test/fixture';
import { ecrRepositoryArn } from './colour-service';

const json = synthJson();
const ref = (type: string, part: string, attr: string) => {
  const names = resources(json, type).filter(([n]) => n.includes(part));
  if (names.length !== 1) throw new Error(`ref: ${type} ${part}: ${names.length} matches`);
  return `\${${type}.${names[0][0]}.${attr}}`;
};
const containerOf = (j: Json, colour: string) => decodeJson(resource(j, 'aws_ecs_task_definition', `compute_${colour}_`).container_definitions)[0];
const policyOf = (j: Json, type: string, part: string) => decodeJson(resource(j, type, part).policy ?? resource(j, type, part).assume_role_policy);

describe('BlueGreenCompute: cluster and task definitions', () => {
  it('runs one Fargate cluster with Container Insights', () => {
    expect(Testing.synth(buildStack().stack)).toHaveResourceWithProperties(EcsCluster, { name: 'ecs-cluster-test', setting: [{ name: 'containerInsights', value: 'enabled' }] });
  });

  it('gives each colour its own task definition: tagged image, cpu, memory, Fargate, awsvpc', () => {
    expect(resource(json, 'aws_ecs_task_definition', 'compute_blue_')).toMatchObject({ family: 'task-blue-test', cpu: '1024', memory: '2048', network_mode: 'awsvpc', requires_compatibilities: ['FARGATE'] });
    expect(resource(json, 'aws_ecs_task_definition', 'compute_green_')).toMatchObject({ family: 'task-green-test', cpu: '512', memory: '1024' });
    expect(containerOf(json, 'blue').image).toBe(ECR_IMAGE);
    expect(containerOf(json, 'green').image).toBe('public.ecr.aws/nginx/nginx:1.27.4');
  });

  it('runs the container with a read-only root filesystem and writable scratch volumes', () => {
    const c = containerOf(json, 'blue');
    expect(c.readonlyRootFilesystem).toBe(true);
    expect(c.mountPoints).toEqual([{ sourceVolume: 'scratch-0', containerPath: '/tmp', readOnly: false }]);
    expect(resource(json, 'aws_ecs_task_definition', 'compute_blue_').volume).toEqual([{ name: 'scratch-0' }]);
  });

  it("injects the colour's database credentials as secrets (never plain values) and its endpoint as environment", () => {
    const blue = containerOf(json, 'blue');
    const green = containerOf(json, 'green');
    expect(blue.secrets).toEqual([
      { name: 'DB_USERNAME', valueFrom: `${BLUE_SECRET}:username::` },
      { name: 'DB_PASSWORD', valueFrom: `${BLUE_SECRET}:password::` },
    ]);
    expect(green.secrets.map((s: Json) => s.valueFrom)).toEqual([`${GREEN_SECRET}:username::`, `${GREEN_SECRET}:password::`]);
    expect(blue.environment).toEqual([
      { name: 'DB_HOST', value: 'blue.cluster-abc.us-east-1.rds.amazonaws.com' },
      { name: 'DB_NAME', value: 'app' },
      { name: 'DB_PORT', value: '5432' },
      { name: 'LOG_LEVEL', value: 'info' },
    ]);
    for (const c of [blue, green]) expect(c.environment.map((e: Json) => e.name)).not.toContain('DB_PASSWORD');
  });

  it('logs with awslogs to a per-colour log group with retention and no KMS key', () => {
    const c = containerOf(json, 'green');
    expect(c.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: { 'awslogs-group': ref('aws_cloudwatch_log_group', 'compute_green_', 'name'), 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'green' },
    });
    for (const [, g] of resources(json, 'aws_cloudwatch_log_group')) {
      expect(g.retention_in_days).toBe(30);
      expect(g.kms_key_id).toBeUndefined();
    }
    expect(resources(json, 'aws_cloudwatch_log_group').map(([, g]) => g.name).sort()).toEqual(['ecs-logs-blue-test', 'ecs-logs-green-test']);
  });
});

describe('BlueGreenCompute: services', () => {
  const blue = resource(json, 'aws_ecs_service', 'compute_blue_');
  const green = resource(json, 'aws_ecs_service', 'compute_green_');

  it('runs each service in the private subnets, without a public IP, behind its own target group', () => {
    expect(blue.network_configuration).toEqual({
      subnets: computeProps().privateSubnetIds,
      security_groups: [ref('aws_security_group', 'compute_blue_', 'id')],
      assign_public_ip: false,
    });
    expect(blue.load_balancer).toEqual([{ target_group_arn: ref('aws_lb_target_group', 'target-group-blue', 'arn'), container_name: 'app', container_port: 8080 }]);
    expect(green.load_balancer[0].target_group_arn).toBe(ref('aws_lb_target_group', 'target-group-green', 'arn'));
    expect(blue).toMatchObject({ name: 'service-blue-test', launch_type: 'FARGATE', desired_count: 3, health_check_grace_period_seconds: 60 });
  });

  it('rolls deployments inside a colour with the circuit breaker and deployment alarms, both rolling back', () => {
    for (const [s, colour] of [[blue, 'blue'], [green, 'green']] as const) {
      expect(s.deployment_controller).toEqual({ type: 'ECS' });
      expect(s.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
      expect(s.alarms).toEqual({ alarm_names: [`alarm-${colour}-5xx-rate-test`, `alarm-${colour}-p95-latency-test`], enable: true, rollback: true });
      expect(s).toMatchObject({ deployment_minimum_healthy_percent: 100, deployment_maximum_percent: 200 });
    }
  });

  it('leaves desired_count to autoscaling after creation, and waits for the listeners', () => {
    expect(blue.lifecycle).toEqual({ ignore_changes: ['desired_count'] });
    expect(blue.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_lb_listener\..*https-listener/)]));
  });

  it('scales each service on CPU between its bounds; a parked colour is held at 0..0', () => {
    const targets = Object.fromEntries(resources(json, 'aws_appautoscaling_target').map(([n, t]) => [n.includes('_blue_') ? 'blue' : 'green', t]));
    expect(targets.blue).toMatchObject({ min_capacity: 3, max_capacity: 12, service_namespace: 'ecs', scalable_dimension: 'ecs:service:DesiredCount' });
    expect(targets.blue.resource_id).toBe(`service/${ref('aws_ecs_cluster', 'cluster', 'name')}/${ref('aws_ecs_service', 'compute_blue_', 'name')}`);
    expect(targets.green).toMatchObject({ min_capacity: 2, max_capacity: 6 });
    const policy = resource(json, 'aws_appautoscaling_policy', 'compute_blue_');
    expect(policy).toMatchObject({
      policy_type: 'TargetTrackingScaling',
      target_tracking_scaling_policy_configuration: { target_value: 60, predefined_metric_specification: { predefined_metric_type: 'ECSServiceAverageCPUUtilization' } },
    });
    const parked = synthJson({ green: { ...serviceProps().green, desiredCount: 0 } });
    const parkedTarget = resources(parked, 'aws_appautoscaling_target').find(([n]) => n.includes('_green_'))?.[1];
    expect(parkedTarget).toMatchObject({ min_capacity: 0, max_capacity: 0 });
  });
});

describe('BlueGreenCompute: IAM', () => {
  it('gives each colour an execution role and a separate task role, all trusting ecs-tasks.amazonaws.com from this account', () => {
    const roles = resources(json, 'aws_iam_role').map(([, r]) => r);
    expect(roles.map((r) => r.name).sort()).toEqual(['ecs-execution-blue-test', 'ecs-execution-green-test', 'ecs-task-blue-test', 'ecs-task-green-test']);
    for (const r of roles) {
      const trust = decodeJson(r.assume_role_policy);
      expect(trust.Statement).toEqual([
        expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: expect.objectContaining({ StringEquals: { 'aws:SourceAccount': '333333333333' } }) }),
      ]);
    }
    const td = resource(json, 'aws_ecs_task_definition', 'compute_blue_');
    expect(td.execution_role_arn).toBe(ref('aws_iam_role', 'compute_blue_execution-role', 'arn'));
    expect(td.task_role_arn).toBe(ref('aws_iam_role', 'compute_blue_task-role', 'arn'));
  });

  it("lets the execution role read only its colour's secret, decrypt its key via Secrets Manager, write its log group, and pull from its ECR repository", () => {
    const blue = policyOf(json, 'aws_iam_role_policy', 'compute_blue_execution-policy').Statement;
    expect(blue).toEqual([
      { Sid: 'WriteLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${ref('aws_cloudwatch_log_group', 'compute_blue_', 'arn')}:*` },
      { Sid: 'ReadDatabaseSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: BLUE_SECRET },
      { Sid: 'DecryptDatabaseSecret', Effect: 'Allow', Action: 'kms:Decrypt', Resource: BLUE_KEY, Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } } },
      { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Sid: 'PullImage',
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        Resource: 'arn:aws:ecr:us-east-1:333333333333:repository/app',
      },
    ]);
    // Green pulls a public image: no ECR permissions at all; its own secret and key only.
    const green = policyOf(json, 'aws_iam_role_policy', 'compute_green_execution-policy').Statement;
    expect(green.map((s: Json) => s.Sid)).toEqual(['WriteLogs', 'ReadDatabaseSecret', 'DecryptDatabaseSecret']);
    expect(JSON.stringify(green)).not.toContain(BLUE_SECRET);
    expect(green[1].Resource).toBe(GREEN_SECRET);
    expect(green[2].Resource).toBe(GREEN_KEY);
  });

  it('grants "*" only to ecr:GetAuthorizationToken (the one action that cannot be scoped)', () => {
    for (const [, p] of resources(json, 'aws_iam_role_policy')) {
      for (const s of decodeJson(p.policy).Statement) if ([s.Resource].flat().includes('*')) expect(s.Action).toBe('ecr:GetAuthorizationToken');
    }
  });

  it('gives the task role only what config grants, and refuses a wildcard resource', () => {
    expect(resources(json, 'aws_iam_role_policy').filter(([n]) => n.includes('task-policy'))).toEqual([]);
    const granted = synthJson({ blue: { ...serviceProps().blue, taskRolePolicyStatements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::uploads-test/*'] }] } });
    expect(policyOf(granted, 'aws_iam_role_policy', 'compute_blue_task-policy').Statement).toEqual([
      { Sid: 'Granted0', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::uploads-test/*'] },
    ]);
    expect(() => buildStack({ blue: { ...serviceProps().blue, taskRolePolicyStatements: [{ actions: ['s3:GetObject'], resources: ['*'] }] } })).toThrow(
      /ColourService\(blue\): taskRolePolicyStatements must scope every statement/,
    );
  });

  it('derives the ECR repository ARN from a private ECR image only', () => {
    expect(ecrRepositoryArn('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app@sha256:' + 'a'.repeat(64))).toBe('arn:aws:ecr:eu-west-1:123456789012:repository/team/app');
    expect(ecrRepositoryArn('public.ecr.aws/nginx/nginx:1.27.3')).toBeUndefined();
    expect(ecrRepositoryArn('ghcr.io/org/app:1.0.0')).toBeUndefined();
  });
});

describe('BlueGreenCompute: security groups', () => {
  const rules = (type: string) => resources(json, type).map(([n, r]) => ({ n, ...r }));

  it('admits 443 and 80 from the ingress CIDRs and the test port only from the test CIDRs', () => {
    const albSg = ref('aws_security_group', 'load-balancer_security-group', 'id');
    const ingress = rules('aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === albSg);
    expect(ingress.map((r) => `${r.cidr_ipv4}:${r.from_port}-${r.to_port}`).sort()).toEqual(['0.0.0.0/0:443-443', '0.0.0.0/0:80-80', '10.0.0.0/8:8443-8443']);
    const closed = synthJson({ loadBalancer: { ...computeProps().loadBalancer, testListenerCidrs: [] } });
    expect(resources(closed, 'aws_vpc_security_group_ingress_rule').filter(([, r]) => r.from_port === 8443)).toEqual([]);
  });

  it('lets the ALB reach only the task security groups, on the container port', () => {
    const albSg = ref('aws_security_group', 'load-balancer_security-group', 'id');
    const egress = rules('aws_vpc_security_group_egress_rule').filter((r) => r.security_group_id === albSg);
    expect(egress.map((r) => [r.referenced_security_group_id, r.from_port, r.to_port, r.cidr_ipv4])).toEqual(
      expect.arrayContaining([
        [ref('aws_security_group', 'compute_blue_', 'id'), 8080, 8080, undefined],
        [ref('aws_security_group', 'compute_green_', 'id'), 8080, 8080, undefined],
      ]),
    );
    expect(egress).toHaveLength(2);
  });

  it('admits the tasks only from the ALB on the container port; out only to HTTPS and their own database', () => {
    const blueSg = ref('aws_security_group', 'compute_blue_', 'id');
    const ingress = rules('aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === blueSg);
    expect(ingress.map((r) => [r.referenced_security_group_id, r.from_port, r.cidr_ipv4])).toEqual([[ref('aws_security_group', 'load-balancer_security-group', 'id'), 8080, undefined]]);
    const egress = rules('aws_vpc_security_group_egress_rule').filter((r) => r.security_group_id === blueSg);
    expect(egress.map((r) => [r.cidr_ipv4 ?? r.referenced_security_group_id, r.from_port]).sort()).toEqual([
      ['0.0.0.0/0', 443],
      ['sg-0db000000000000b1', 5432],
    ]);
  });
});

describe('BlueGreenCompute: load balancer', () => {
  it('puts the ALB in the public subnets, drops invalid headers, protects it per props, logs access', () => {
    const synth = Testing.synth(buildStack().stack);
    expect(synth).toHaveResourceWithProperties(Lb, {
      name: 'alb-test',
      load_balancer_type: 'application',
      internal: false,
      subnets: computeProps().publicSubnetIds,
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
      access_logs: { bucket: ref('aws_s3_bucket', 'access-logs', 'bucket'), prefix: 'alb', enabled: true },
    });
    expect(resource(synthJson({ loadBalancer: { ...computeProps().loadBalancer, deletionProtection: false } }), 'aws_lb', 'alb').enable_deletion_protection).toBe(false);
    expect(resource(json, 'aws_lb', 'alb').depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\./)]);
  });

  it('keeps access logs in a destroyable, SSE-S3, private bucket the ELB account may write to, with expiry', () => {
    const synth = Testing.synth(buildStack().stack);
    expect(resource(json, 'aws_s3_bucket', 'access-logs')).toEqual({ bucket: 'alb-logs-333333333333-test', force_destroy: true });
    expect(synth).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, { rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }] });
    expect(resource(json, 'aws_s3_bucket_public_access_block', 'access-logs')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(resource(json, 'aws_s3_bucket_lifecycle_configuration', 'access-logs').rule[0]).toMatchObject({ status: 'Enabled', expiration: [{ days: 90 }] });
    const statements = policyOf(json, 'aws_s3_bucket_policy', 'access-logs').Statement;
    const objects = `${ref('aws_s3_bucket', 'access-logs', 'arn')}/alb/AWSLogs/333333333333/*`;
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::127311923021:root' }, Action: 's3:PutObject', Resource: objects }),
        expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' }, Action: 's3:PutObject', Resource: objects }),
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    );
  });

  it('has blue and green target groups (ip targets, health checks from props, deregistration delay)', () => {
    for (const colour of ['blue', 'green']) {
      expect(resource(json, 'aws_lb_target_group', `target-group-${colour}`)).toMatchObject({
        name: `tg-${colour}-test`,
        target_type: 'ip',
        protocol: 'HTTP',
        port: 8080,
        vpc_id: 'vpc-0123456789abcdef0',
        deregistration_delay: '30',
        health_check: { enabled: true, path: '/health', matcher: '200', interval: 15, timeout: 5, healthy_threshold: 3, unhealthy_threshold: 3, port: 'traffic-port', protocol: 'HTTP' },
      });
    }
  });

  it('terminates TLS on 443 with a TLS 1.3/1.2 policy and the configured certificate, forwarding by weight to both colours', () => {
    expect(resource(json, 'aws_lb_listener', 'https-listener')).toMatchObject({
      port: 443,
      protocol: 'HTTPS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificate_arn: computeProps().loadBalancer.certificate.arn,
      default_action: [
        {
          type: 'forward',
          forward: {
            target_group: [
              { arn: ref('aws_lb_target_group', 'target-group-blue', 'arn'), weight: 100 },
              { arn: ref('aws_lb_target_group', 'target-group-green', 'arn'), weight: 0 },
            ],
          },
        },
      ],
    });
    expect(resource(json, 'aws_lb_listener', 'https-listener').default_action[0].forward.stickiness).toBeUndefined();
    const sticky = resource(synthJson({ weights: { blue: 75, green: 25 }, stickinessSeconds: 600 }), 'aws_lb_listener', 'https-listener').default_action[0].forward;
    expect(sticky.stickiness).toEqual({ enabled: true, duration: 600 });
    expect(sticky.target_group.map((g: Json) => g.weight)).toEqual([75, 25]);
  });

  it('only redirects HTTP to HTTPS (301)', () => {
    expect(resource(json, 'aws_lb_listener', 'http-listener')).toMatchObject({
      port: 80,
      protocol: 'HTTP',
      default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }],
    });
  });

  it('forwards the test listener to the colour about to receive traffic (not the live one)', () => {
    expect(resource(json, 'aws_lb_listener', 'test-listener')).toMatchObject({
      port: 8443,
      protocol: 'HTTPS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      default_action: [{ type: 'forward', target_group_arn: ref('aws_lb_target_group', 'target-group-green', 'arn') }],
    });
    const greenLive = synthJson({ liveColour: 'green', weights: { blue: 0, green: 100 } });
    const blueTg = resources(greenLive, 'aws_lb_target_group').find(([n]) => n.includes('target-group-blue'))?.[0];
    expect(resource(greenLive, 'aws_lb_listener', 'test-listener').default_action[0].target_group_arn).toBe(`\${aws_lb_target_group.${blueTg}.arn}`);
  });

  it('issues a DNS-validated certificate from a domain and hosted zone (no data source)', () => {
    const j = synthJson({ loadBalancer: { ...computeProps().loadBalancer, certificate: { domainName: 'app.example.com', hostedZoneId: 'Z0123456789ABC' } } });
    expect(resource(j, 'aws_acm_certificate', 'certificate')).toMatchObject({ domain_name: 'app.example.com', validation_method: 'DNS' });
    const record = resource(j, 'aws_route53_record', 'certificate-validation-record');
    expect(record).toMatchObject({ zone_id: 'Z0123456789ABC', ttl: 60, allow_overwrite: true });
    expect(record.name).toMatch(/^\$\{tolist\(aws_acm_certificate\..*\.domain_validation_options\)(\[0\]|\.0)\.resource_record_name\}$/);
    const validation = resources(j, 'aws_acm_certificate_validation')[0];
    expect(resource(j, 'aws_lb_listener', 'https-listener').certificate_arn).toBe(`\${aws_acm_certificate_validation.${validation[0]}.certificate_arn}`);
    expect(j.data).toBeUndefined();
  });
});

describe('BlueGreenCompute: refused props', () => {
  it('refuses weights that do not sum to 100 (60/30)', () => {
    expect(() => buildStack({ weights: { blue: 60, green: 30 } })).toThrow(/BlueGreenCompute: services\[0\]\.weights must sum to 100, got \{"blue":60,"green":30\}/);
  });
  it('refuses weight on a colour with no tasks', () => {
    expect(() => buildStack({ weights: { blue: 90, green: 10 }, green: { ...serviceProps().green, desiredCount: 0 } })).toThrow(/BlueGreenCompute: services\[0\]\.weights\.green must be 0 while services\[0\]\.green\.desiredCount is 0/);
  });
  it('refuses a certificate that is neither an ARN nor a domain + zone, or both', () => {
    expect(() => buildStack({ loadBalancer: { ...computeProps().loadBalancer, certificate: {} } })).toThrow(/certificate must be either \{ arn \} or \{ domainName, hostedZoneId \}/);
    expect(() => buildStack({ loadBalancer: { ...computeProps().loadBalancer, certificate: { arn: 'arn:aws:acm:us-east-1:1:certificate/x', domainName: 'a.example.com' } } })).toThrow(/certificate must be either/);
    expect(() => buildStack({ loadBalancer: { ...computeProps().loadBalancer, certificate: { domainName: 'a.example.com' } } })).toThrow(/certificate needs both domainName and hostedZoneId/);
  });
  it('refuses an image without a tag, and latest', () => {
    expect(() => buildStack({ blue: { ...serviceProps().blue, image: 'public.ecr.aws/nginx/nginx' } })).toThrow(/ColourService\(blue\): image must carry an explicit tag or digest, got "public.ecr.aws\/nginx\/nginx"/);
    expect(() => buildStack({ green: { ...serviceProps().green, image: 'public.ecr.aws/nginx/nginx:latest' } })).toThrow(/ColourService\(green\): image must not use the mutable tag 'latest'/);
  });
  it('refuses a cpu/memory pair Fargate does not offer', () => {
    expect(() => buildStack({ blue: { ...serviceProps().blue, cpu: 256, memory: 4096 } })).toThrow(/BlueGreenCompute: services\[0\]\.blue\.memory must be a Fargate memory size for cpu 256 \(512, 1024, 2048\), got 4096/);
  });
  it('refuses a health-check timeout that is not below the interval', () => {
    expect(() => buildStack({ healthCheck: { intervalSeconds: 10, timeoutSeconds: 10 } })).toThrow(/healthCheck\.timeoutSeconds must be below healthCheck\.intervalSeconds/);
  });
});

describe('BlueGreenCompute: guardrails', () => {
  it('passes every guardrail (naming, tags, no public IPs, HTTPS only, IAM scoping, encryption, retention, …)', () => {
    const { stack } = buildStack({ loadBalancer: { ...computeProps().loadBalancer, certificate: { domainName: 'app.example.com', hostedZoneId: 'Z0123456789ABC' } } });
    Aspects.of(stack).add(new BlueGreenGuardrails({ environmentSuffix: 'test' }));
    expect(() => Testing.synth(stack)).not.toThrow();
    // The aspect really inspects these resources: under another suffix every name is refused.
    const other = buildStack().stack;
    Aspects.of(other).add(new BlueGreenGuardrails({ environmentSuffix: 'other' }));
    expect(() => Testing.synth(other)).toThrow(/BG001/);
  });
});
