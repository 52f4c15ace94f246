import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import type { Naming } from '@bluegreen/config';
import { Construct } from 'constructs';
import { ColourService, type ColourSettings } from './colour-service';
import { BlueGreenLoadBalancer, type CertificateSource } from './load-balancer';
import { COLOURS, refuse, type Colour, type TargetHealthCheck, type TrafficWeights } from './types';

export interface LoadBalancerSettings {
  readonly certificate: CertificateSource;
  /** @default 'ELBSecurityPolicy-TLS13-1-2-2021-06' */
  readonly sslPolicy?: string;
  /** @default ['0.0.0.0/0'] */
  readonly ingressCidrs?: readonly string[];
  /** @default 8443 */
  readonly testListenerPort?: number;
  /** @default [] */
  readonly testListenerCidrs?: readonly string[];
  readonly deletionProtection: boolean;
  /** @default 90 */
  readonly accessLogRetentionDays?: number;
}

export interface BlueGreenComputeProps {
  readonly naming: Naming;
  readonly region: string;
  readonly accountId: string;
  readonly vpcId: string;
  /** Where the ALB lives. */
  readonly publicSubnetIds: readonly string[];
  /** Where the tasks run (no public IP). */
  readonly privateSubnetIds: readonly string[];
  readonly containerPort: number;
  /** @default 30 */
  readonly logRetentionDays?: number;
  /** @default 60 */
  readonly cpuTargetPercent?: number;
  /** @default 60 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** @default 30 */
  readonly deregistrationDelaySeconds?: number;
  /** @default - '/health', '200', 15 s / 5 s, 3/3 */
  readonly healthCheck?: TargetHealthCheck;
  readonly loadBalancer: LoadBalancerSettings;
  /** The HTTPS listener's weights (sum 100; a colour with weight needs tasks). */
  readonly weights: TrafficWeights;
  /** @default 0 (off) */
  readonly stickinessSeconds?: number;
  /** The colour serving production; the test listener forwards to the other one. */
  readonly liveColour: Colour;
  readonly blue: ColourSettings;
  readonly green: ColourSettings;
}

/**
 * Blue/green compute on AWS provider 5.x: one Fargate cluster (Container Insights on), one ALB, and two
 * long-lived ECS services (blue, green), each behind its own target group. Traffic moves by the weights of the
 * HTTPS listener's forward action, which Terraform owns (docs/traffic.md). Inside a colour, deployments roll with
 * the circuit breaker and deployment alarms.
 */
export class BlueGreenCompute extends Construct {
  public readonly clusterName: string;
  /** The cluster name as a plain string, not a Terraform reference (see ColourService.serviceNameLiteral). */
  public readonly clusterNameLiteral: string;
  public readonly clusterArn: string;
  public readonly loadBalancer: BlueGreenLoadBalancer;
  public readonly blue: ColourService;
  public readonly green: ColourService;
  /** The colour the test listener forwards to (the one about to receive traffic). */
  public readonly testColour: Colour;

  constructor(scope: Construct, id: string, props: BlueGreenComputeProps) {
    super(scope, id);
    for (const c of COLOURS) {
      if (props.weights[c] > 0 && props[c].desiredCount === 0) {
        refuse('BlueGreenCompute', `weights.${c}`, `must be 0 while ${c}.desiredCount is 0 (a colour receiving traffic needs tasks)`, props.weights[c]);
      }
    }
    if (props.privateSubnetIds.length === 0) refuse('BlueGreenCompute', 'privateSubnetIds', 'must name at least one subnet', props.privateSubnetIds);
    const { naming } = props;
    this.testColour = props.liveColour === 'blue' ? 'green' : 'blue';

    this.clusterNameLiteral = naming.name('ecs-cluster');
    const cluster = new EcsCluster(this, 'cluster', {
      name: this.clusterNameLiteral,
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });
    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;

    this.loadBalancer = new BlueGreenLoadBalancer(this, 'load-balancer', {
      naming,
      accountId: props.accountId,
      vpcId: props.vpcId,
      publicSubnetIds: props.publicSubnetIds,
      ...props.loadBalancer,
      targetPort: props.containerPort,
      healthCheck: props.healthCheck,
      deregistrationDelaySeconds: props.deregistrationDelaySeconds,
      weights: props.weights,
      stickinessSeconds: props.stickinessSeconds,
      testColour: this.testColour,
    });

    const services = {} as Record<Colour, ColourService>;
    for (const colour of COLOURS) {
      const s = props[colour];
      services[colour] = new ColourService(this, colour, {
        naming,
        colour,
        region: props.region,
        accountId: props.accountId,
        clusterArn: cluster.arn,
        clusterName: cluster.name,
        vpcId: props.vpcId,
        subnetIds: props.privateSubnetIds,
        ...s,
        containerPort: props.containerPort,
        logRetentionDays: props.logRetentionDays,
        healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSeconds,
        cpuTargetPercent: props.cpuTargetPercent,
        targetGroupArn: this.loadBalancer.targetGroups[colour].arn,
        loadBalancerSecurityGroupId: this.loadBalancer.securityGroupId,
        dependsOn: this.loadBalancer.listeners,
      });
      this.loadBalancer.allowToTargets(colour, services[colour].securityGroupId, `Application traffic to the ${colour} tasks`);
    }
    this.blue = services.blue;
    this.green = services.green;
  }

  /** The service of a colour. */
  service(colour: Colour): ColourService {
    return colour === 'blue' ? this.blue : this.green;
  }
}
