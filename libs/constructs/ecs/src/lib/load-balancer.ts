import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener, type LbListenerDefaultAction } from '@cdktf/provider-aws/lib/lb-listener';
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

/** The ELB account that writes access logs in us-east-1 (regions before August 2022 use an account principal). */
export const US_EAST_1_ELB_ACCOUNT_ID = '127311923021';
/** TLS 1.3 with TLS 1.2 fallback (the seed's "SSL termination", current AWS recommendation). */
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
  /** The container port the target groups send to. */
  readonly targetPort: number;
  /** @default - '/health', '200', 15 s interval, 5 s timeout, 3/3 thresholds */
  readonly healthCheck?: TargetHealthCheck;
  /** @default 30 */
  readonly deregistrationDelaySeconds?: number;
  /** The HTTPS listener's weights; they sum to 100. */
  readonly weights: TrafficWeights;
  /** Stickiness on the weighted forward, seconds; 0 turns it off. @default 0 */
  readonly stickinessSeconds?: number;
  /** The colour the test listener forwards to: the one about to receive traffic. */
  readonly testColour: Colour;
  /** The ELB log-delivery account of the region. @default '127311923021' (us-east-1) */
  readonly elbLogDeliveryAccountId?: string;
}

const NAME = 'BlueGreenLoadBalancer';

function validate(p: BlueGreenLoadBalancerProps): void {
  for (const c of COLOURS) {
    const w = p.weights[c];
    if (!Number.isInteger(w) || w < 0 || w > 100) refuse(NAME, `weights.${c}`, 'must be a whole number 0-100', w);
  }
  if (p.weights.blue + p.weights.green !== 100) refuse(NAME, 'weights', 'must sum to 100', p.weights);
  if (p.publicSubnetIds.length < 2) refuse(NAME, 'publicSubnetIds', 'must name at least two subnets (an ALB spans two or more AZs)', p.publicSubnetIds);
  const cert = p.certificate;
  const hasArn = cert.arn !== undefined;
  const hasDomain = cert.domainName !== undefined || cert.hostedZoneId !== undefined;
  if (hasArn === hasDomain) refuse(NAME, 'certificate', 'must be either { arn } or { domainName, hostedZoneId }', cert);
  if (hasDomain && (!cert.domainName || !cert.hostedZoneId)) refuse(NAME, 'certificate', 'needs both domainName and hostedZoneId', cert);
  const hc = p.healthCheck ?? {};
  if ((hc.timeoutSeconds ?? 5) >= (hc.intervalSeconds ?? 15)) refuse(NAME, 'healthCheck.timeoutSeconds', 'must be below healthCheck.intervalSeconds', hc);
  const testPort = p.testListenerPort ?? 8443;
  if (testPort === 80 || testPort === 443) refuse(NAME, 'testListenerPort', 'must differ from 80 and 443', testPort);
  if ((p.stickinessSeconds ?? 0) < 0 || (p.stickinessSeconds ?? 0) > 604800) refuse(NAME, 'stickinessSeconds', 'must be 0-604800', p.stickinessSeconds);
}

/**
 * The public entry point of a blue/green environment: an ALB in the public subnets with
 * - an HTTPS listener whose default action is a **weighted forward** over the blue and green target groups
 *   (weights from props: Terraform owns them, see docs/traffic.md),
 * - an HTTP listener that only redirects to HTTPS (301),
 * - a test listener (HTTPS, its own port, only from `testListenerCidrs`) forwarding to `testColour`,
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
  /** Per colour: target group ARN, ARN suffix (`TargetGroup` metric dimension) and name. */
  public readonly targetGroups: Readonly<Record<Colour, { readonly arn: string; readonly arnSuffix: string; readonly name: string }>>;
  /** The listeners: ECS services must be created after their target group is attached to a load balancer. */
  public readonly listeners: readonly LbListener[];
  public readonly targetPort: number;

  private readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: BlueGreenLoadBalancerProps) {
    super(scope, id);
    validate(props);
    const { naming } = props;
    this.targetPort = props.targetPort;
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

    // --- Target groups, one per colour.
    const hc = props.healthCheck ?? {};
    const groups = {} as Record<Colour, LbTargetGroup>;
    for (const colour of COLOURS) {
      groups[colour] = new LbTargetGroup(this, `target-group-${colour}`, {
        name: naming.name(`tg-${colour}`),
        targetType: 'ip',
        protocol: 'HTTP',
        port: props.targetPort,
        vpcId: props.vpcId,
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
        tags: { Colour: colour },
        lifecycle: { createBeforeDestroy: true },
      });
    }
    this.targetGroups = {
      blue: { arn: groups.blue.arn, arnSuffix: groups.blue.arnSuffix, name: groups.blue.name },
      green: { arn: groups.green.arn, arnSuffix: groups.green.arnSuffix, name: groups.green.name },
    };

    // --- Listeners.
    const sslPolicy = props.sslPolicy ?? DEFAULT_SSL_POLICY;
    const https = new LbListener(this, 'https-listener', {
      loadBalancerArn: alb.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy,
      certificateArn: this.certificateArn,
      defaultAction: [weightedForward(groups, props.weights, props.stickinessSeconds ?? 0)],
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
      defaultAction: [{ type: 'forward', targetGroupArn: groups[props.testColour].arn }],
    });
    this.httpsListenerArn = https.arn;
    this.httpListenerArn = http.arn;
    this.testListenerArn = test.arn;
    this.listeners = [https, http, test];
  }

  /**
   * Lets the ALB reach a target security group on the target port, and nothing else (one egress rule).
   * The target side must admit the ALB's security group ({@link securityGroupId}) on the same port.
   */
  allowToTargets(id: string, targetSecurityGroupId: string, description: string): VpcSecurityGroupEgressRule {
    return new VpcSecurityGroupEgressRule(this, `egress-${id}`, {
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: targetSecurityGroupId,
      ipProtocol: 'tcp',
      fromPort: this.targetPort,
      toPort: this.targetPort,
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
 * The HTTPS listener's default action: one `forward` over both target groups. Both groups stay in the action even
 * at weight 0, so a weight change is an in-place update of this one action and nothing else.
 */
export function weightedForward(groups: Record<Colour, { arn: string }>, weights: TrafficWeights, stickinessSeconds: number): LbListenerDefaultAction {
  return {
    type: 'forward',
    forward: {
      targetGroup: COLOURS.map((colour) => ({ arn: groups[colour].arn, weight: weights[colour] })),
      ...(stickinessSeconds > 0 ? { stickiness: { enabled: true, duration: stickinessSeconds } } : {}),
    },
  };
}
