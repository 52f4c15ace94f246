import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener, type LbListenerDefaultAction } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule, type LbListenerRuleAction, type LbListenerRuleCondition } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { Naming } from '@bluegreen/config';
import { Construct } from 'constructs';
import { COLOURS, policyDocument, refuse, type Colour, type TargetHealthCheck, type TrafficWeights } from './types';

/** One colour's target group of a service. */
export interface TargetGroupProps {
  /** The target group's name (at most 32 characters). */
  readonly name: string;
  readonly colour: Colour;
  /** The container port the group sends to. */
  readonly port: number;
  /** @default - '/health', '200', 15 s interval, 5 s timeout, 3/3 thresholds */
  readonly healthCheck?: TargetHealthCheck;
  /** @default 30 */
  readonly deregistrationDelaySeconds?: number;
  /** Extra tags (the `Colour` tag is always set). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Where a service's weighted forward goes: its two target groups, their weights, and the colour under test. */
export interface ServiceForward {
  readonly targetGroupArns: Readonly<Record<Colour, string>>;
  /** Sum 100. */
  readonly weights: TrafficWeights;
  /** Stickiness on the weighted forward, seconds; 0 turns it off. @default 0 */
  readonly stickinessSeconds?: number;
  /** The colour the test listener forwards to: the one about to receive traffic. */
  readonly testColour: Colour;
}

/** A service's listener rule: its conditions and priority (the same on the HTTPS and the test listener). */
export interface ServiceRuleProps extends ServiceForward {
  readonly priority: number;
  /** @default [] */
  readonly pathPatterns?: readonly string[];
  /** @default [] */
  readonly hostHeaders?: readonly string[];
  /** Tags of both rules (e.g. `Name`). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The two listener rules of a service. */
export interface ServiceRules {
  readonly https: LbListenerRule;
  readonly test: LbListenerRule;
}

/** The ELB account that writes access logs in us-east-1 (regions before August 2022 use an account principal). */
export const US_EAST_1_ELB_ACCOUNT_ID = '127311923021';
/** TLS 1.3 with TLS 1.2 fallback (SSL termination at the load balancer, current AWS recommendation). */
export const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** Either an existing ACM certificate, or a domain and hosted zone for a DNS-validated one. */
export interface CertificateSource {
  /** An existing ACM certificate in the ALB's region. */
  readonly arn?: string;
  /** The name to issue a DNS-validated certificate for (needs hostedZoneId). */
  readonly domainName?: string;
  /** The Route 53 hosted zone that receives the validation record. */
  readonly hostedZoneId?: string;
}

export interface BlueGreenLoadBalancerProps {
  readonly naming: Naming;
  /** The account the environment deploys to (access-log object path). */
  readonly accountId: string;
  readonly vpcId: string;
  /** The public subnets (one per AZ) the ALB lives in. */
  readonly publicSubnetIds: readonly string[];
  readonly certificate: CertificateSource;
  /** @default 'ELBSecurityPolicy-TLS13-1-2-2021-06' */
  readonly sslPolicy?: string;
  /** CIDRs allowed on 443 and 80. @default ['0.0.0.0/0'] */
  readonly ingressCidrs?: readonly string[];
  /** The test listener's HTTPS port. @default 8443 */
  readonly testListenerPort?: number;
  /** CIDRs allowed on the test listener; none means the listener exists but nobody can reach it. @default [] */
  readonly testListenerCidrs?: readonly string[];
  /** ALB deletion protection; the environment decides. */
  readonly deletionProtection: boolean;
  /** Days access-log objects are kept. @default 90 */
  readonly accessLogRetentionDays?: number;
  /** The ELB log-delivery account of the region. @default '127311923021' (us-east-1) */
  readonly elbLogDeliveryAccountId?: string;
}

const NAME = 'BlueGreenLoadBalancer';

function validate(p: BlueGreenLoadBalancerProps): void {
  if (p.publicSubnetIds.length < 2) refuse(NAME, 'publicSubnetIds', 'must name at least two subnets (an ALB spans two or more AZs)', p.publicSubnetIds);
  const cert = p.certificate;
  const hasArn = cert.arn !== undefined;
  const hasDomain = cert.domainName !== undefined || cert.hostedZoneId !== undefined;
  if (hasArn === hasDomain) refuse(NAME, 'certificate', 'must be either { arn } or { domainName, hostedZoneId }', cert);
  if (hasDomain && (!cert.domainName || !cert.hostedZoneId)) refuse(NAME, 'certificate', 'needs both domainName and hostedZoneId', cert);
  const testPort = p.testListenerPort ?? 8443;
  if (testPort === 80 || testPort === 443) refuse(NAME, 'testListenerPort', 'must differ from 80 and 443', testPort);
}

/** Checks a service's weights: whole numbers 0-100 that sum to 100. */
export function weightProblems(construct: string, prop: string, weights: TrafficWeights): string[] {
  const problems: string[] = [];
  for (const c of COLOURS) {
    const w = weights[c];
    if (!Number.isInteger(w) || w < 0 || w > 100) problems.push(`${construct}: ${prop}.${c} must be a whole number 0-100, got ${JSON.stringify(w)}`);
  }
  if (problems.length === 0 && weights.blue + weights.green !== 100) problems.push(`${construct}: ${prop} must sum to 100, got ${JSON.stringify(weights)}`);
  return problems;
}

/**
 * The public entry point of a blue/green environment: an ALB in the public subnets with
 * - an HTTPS listener whose default action is the default service's **weighted forward** over its blue and green
 *   target groups ({@link routeDefault}), and one listener rule per other service with that service's own weighted
 *   forward ({@link addServiceRules}); weights from props: Terraform owns them, see docs/traffic.md,
 * - an HTTP listener that only redirects to HTTPS (301),
 * - a test listener (HTTPS, its own port, only from `testListenerCidrs`) with the same routes, each forwarding to its
 *   service's colour under test,
 * - invalid header fields dropped, deletion protection from props,
 * - access logs in an S3 bucket: SSE-S3 (ALB log delivery does not support SSE-KMS), public access blocked,
 *   TLS-only policy, expiry, `force_destroy` so the environment stays destroyable.
 *
 * Its security group admits 443/80 from `ingressCidrs` and the test port from `testListenerCidrs`, and reaches
 * nothing until {@link allowToTargets} opens the container port to a target security group.
 */
export class BlueGreenLoadBalancer extends Construct {
  public readonly albArn: string;
  /** `app/<name>/<id>`: the `LoadBalancer` dimension of ALB metrics. */
  public readonly albArnSuffix: string;
  public readonly albDnsName: string;
  public readonly albZoneId: string;
  public readonly securityGroupId: string;
  public readonly certificateArn: string;
  public readonly httpsListenerArn: string;
  public readonly httpListenerArn: string;
  public readonly testListenerArn: string;
  public readonly accessLogBucketName: string;
  /** The listeners: ECS services must be created after their target group is attached to a load balancer. */
  public readonly listeners: readonly LbListener[];

  private readonly securityGroup: SecurityGroup;
  private readonly vpcId: string;
  private readonly https: LbListener;
  private readonly test: LbListener;
  private routed = false;

  constructor(scope: Construct, id: string, props: BlueGreenLoadBalancerProps) {
    super(scope, id);
    validate(props);
    const { naming } = props;
    this.vpcId = props.vpcId;
    const testPort = props.testListenerPort ?? 8443;

    // --- Security group: who may reach the ALB. Egress is added per target security group (allowToTargets).
    this.securityGroup = new SecurityGroup(this, 'security-group', {
      name: naming.name('alb-sg'),
      description: 'ALB: HTTPS/HTTP from configured CIDRs, test listener from test CIDRs only',
      vpcId: props.vpcId,
      tags: { Name: naming.name('alb-sg') },
      lifecycle: { createBeforeDestroy: true },
    });
    this.securityGroupId = this.securityGroup.id;
    const ingress = (rid: string, cidr: string, port: number, what: string) =>
      new VpcSecurityGroupIngressRule(this, rid, {
        securityGroupId: this.securityGroup.id,
        cidrIpv4: cidr,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        description: `${what} from ${cidr}`,
      });
    (props.ingressCidrs ?? ['0.0.0.0/0']).forEach((cidr, i) => {
      ingress(`ingress-https-${i}`, cidr, 443, 'HTTPS');
      ingress(`ingress-http-${i}`, cidr, 80, 'HTTP (redirected to HTTPS)');
    });
    (props.testListenerCidrs ?? []).forEach((cidr, i) => ingress(`ingress-test-${i}`, cidr, testPort, 'Test listener'));

    // --- Access logs bucket.
    const bucketName = naming.name(`alb-logs-${props.accountId}`);
    const bucket = new S3Bucket(this, 'access-logs', { bucket: bucketName, forceDestroy: true });
    this.accessLogBucketName = bucket.bucket;
    new S3BucketPublicAccessBlock(this, 'access-logs-public-access-block', {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'access-logs-ownership', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    // ALB access-log delivery supports only SSE-S3 (AES256), not SSE-KMS: the one S3 exception to "KMS for S3".
    new S3BucketServerSideEncryptionConfigurationA(this, 'access-logs-encryption', {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    new S3BucketLifecycleConfiguration(this, 'access-logs-lifecycle', {
      bucket: bucket.id,
      rule: [
        {
          id: 'expire-access-logs',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ days: props.accessLogRetentionDays ?? 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
    });
    const logPrefix = 'alb';
    const objects = `${bucket.arn}/${logPrefix}/AWSLogs/${props.accountId}/*`;
    const bucketPolicy = new S3BucketPolicy(this, 'access-logs-policy', {
      bucket: bucket.id,
      policy: policyDocument([
        {
          Sid: 'ElbAccountWritesAccessLogs',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${props.elbLogDeliveryAccountId ?? US_EAST_1_ELB_ACCOUNT_ID}:root` },
          Action: 's3:PutObject',
          Resource: objects,
        },
        {
          Sid: 'LogDeliveryServiceWritesAccessLogs',
          Effect: 'Allow',
          Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: objects,
        },
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [bucket.arn, `${bucket.arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]),
    });

    // --- The load balancer.
    const alb = new Lb(this, 'alb', {
      name: naming.name('alb'),
      loadBalancerType: 'application',
      internal: false,
      subnets: [...props.publicSubnetIds],
      securityGroups: [this.securityGroup.id],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection,
      accessLogs: { bucket: bucket.bucket, prefix: logPrefix, enabled: true },
      // ELB checks that it may write to the bucket when access logs are turned on.
      dependsOn: [bucketPolicy],
    });
    this.albArn = alb.arn;
    this.albArnSuffix = alb.arnSuffix;
    this.albDnsName = alb.dnsName;
    this.albZoneId = alb.zoneId;

    // --- Certificate: the caller's, or a DNS-validated one.
    const { arn, domainName, hostedZoneId } = props.certificate;
    this.certificateArn = arn ?? this.issueCertificate(domainName ?? '', hostedZoneId ?? '');

    // --- Listeners.
    const sslPolicy = props.sslPolicy ?? DEFAULT_SSL_POLICY;
    const https = new LbListener(this, 'https-listener', {
      loadBalancerArn: alb.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy,
      certificateArn: this.certificateArn,
      // The default service's weighted forward: routeDefault().
      defaultAction: [],
    });
    const http = new LbListener(this, 'http-listener', {
      loadBalancerArn: alb.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
    });
    const test = new LbListener(this, 'test-listener', {
      loadBalancerArn: alb.arn,
      port: testPort,
      protocol: 'HTTPS',
      sslPolicy,
      certificateArn: this.certificateArn,
      // The default service's colour under test: routeDefault().
      defaultAction: [],
    });
    this.https = https;
    this.test = test;
    this.httpsListenerArn = https.arn;
    this.httpListenerArn = http.arn;
    this.testListenerArn = test.arn;
    this.listeners = [https, http, test];
    this.node.addValidation({ validate: () => (this.routed ? [] : [`${NAME}: no default route; call routeDefault() with the default service's target groups`]) });
  }

  /**
   * A target group (IP targets, HTTP, health check, deregistration delay) in `scope`, with id `id` (its Terraform
   * address: treat it as API). `createBeforeDestroy`, so a forced replacement never leaves a listener without it.
   */
  addTargetGroup(scope: Construct, id: string, props: TargetGroupProps): LbTargetGroup {
    const hc = props.healthCheck ?? {};
    return new LbTargetGroup(scope, id, {
      name: props.name,
      targetType: 'ip',
      protocol: 'HTTP',
      port: props.port,
      vpcId: this.vpcId,
      deregistrationDelay: String(props.deregistrationDelaySeconds ?? 30),
      healthCheck: {
        enabled: true,
        protocol: 'HTTP',
        port: 'traffic-port',
        path: hc.path ?? '/health',
        matcher: hc.matcher ?? '200',
        interval: hc.intervalSeconds ?? 15,
        timeout: hc.timeoutSeconds ?? 5,
        healthyThreshold: hc.healthyThreshold ?? 3,
        unhealthyThreshold: hc.unhealthyThreshold ?? 3,
      },
      tags: { Colour: props.colour, ...(props.tags ?? {}) },
      lifecycle: { createBeforeDestroy: true },
    });
  }

  /**
   * Makes a service the default route: the HTTPS listener's default action becomes its weighted forward, the test
   * listener's default action forwards to its colour under test. Exactly once.
   */
  routeDefault(forward: ServiceForward): void {
    if (this.routed) throw new Error(`${NAME}: routeDefault() was already called; an environment has exactly one default service`);
    this.routed = true;
    this.https.putDefaultAction([weightedForward(forward.targetGroupArns, forward.weights, forward.stickinessSeconds ?? 0)]);
    this.test.putDefaultAction([{ type: 'forward', targetGroupArn: forward.targetGroupArns[forward.testColour] }]);
  }

  /**
   * A service's listener rules, in `scope`: `https-rule` (its weighted forward) and `test-rule` (forward to its
   * colour under test), both with the service's conditions and priority. A traffic shift of the service changes the
   * weights of its `https-rule` and nothing else.
   */
  addServiceRules(scope: Construct, props: ServiceRuleProps): ServiceRules {
    const condition: LbListenerRuleCondition[] = [
      ...((props.pathPatterns ?? []).length > 0 ? [{ pathPattern: { values: [...(props.pathPatterns ?? [])] } }] : []),
      ...((props.hostHeaders ?? []).length > 0 ? [{ hostHeader: { values: [...(props.hostHeaders ?? [])] } }] : []),
    ];
    const forward = weightedForward(props.targetGroupArns, props.weights, props.stickinessSeconds ?? 0) as LbListenerRuleAction;
    const tags = props.tags ?? {};
    const https = new LbListenerRule(scope, 'https-rule', { listenerArn: this.https.arn, priority: props.priority, action: [forward], condition, tags });
    const test = new LbListenerRule(scope, 'test-rule', {
      listenerArn: this.test.arn,
      priority: props.priority,
      action: [{ type: 'forward', targetGroupArn: props.targetGroupArns[props.testColour] }],
      condition,
      tags,
    });
    return { https, test };
  }

  /**
   * Lets the ALB reach a target security group on `port`, and nothing else (one egress rule, id `egress-<id>`).
   * The target side must admit the ALB's security group ({@link securityGroupId}) on the same port.
   */
  allowToTargets(id: string, targetSecurityGroupId: string, port: number, description: string): VpcSecurityGroupEgressRule {
    return new VpcSecurityGroupEgressRule(this, `egress-${id}`, {
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: targetSecurityGroupId,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      description,
    });
  }

  private issueCertificate(domainName: string, hostedZoneId: string): string {
    const cert = new AcmCertificate(this, 'certificate', {
      domainName,
      validationMethod: 'DNS',
      lifecycle: { createBeforeDestroy: true },
      tags: { Name: domainName },
    });
    // One name, one validation record (a wildcard validates with the same record as its apex).
    const option = cert.domainValidationOptions.get(0);
    const record = new Route53Record(this, 'certificate-validation-record', {
      zoneId: hostedZoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: 60,
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, 'certificate-validation', {
      certificateArn: cert.arn,
      validationRecordFqdns: [record.fqdn],
    });
    return validation.certificateArn;
  }
}

/**
 * A service's weighted forward (the HTTPS listener's default action, or its listener rule's action): one `forward`
 * over both target groups. Both groups stay in the action even at weight 0, so a weight change is an in-place update
 * of this one action and nothing else.
 */
export function weightedForward(targetGroupArns: Readonly<Record<Colour, string>>, weights: TrafficWeights, stickinessSeconds: number): LbListenerDefaultAction {
  return {
    type: 'forward',
    forward: {
      targetGroup: COLOURS.map((colour) => ({ arn: targetGroupArns[colour], weight: weights[colour] })),
      ...(stickinessSeconds > 0 ? { stickiness: { enabled: true, duration: stickinessSeconds } } : {}),
    },
  };
}
