import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import type { Naming } from '@bluegreen/config';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ColourService, type ColourSettings } from './colour-service';
import type { BlueGreenLoadBalancer, ServiceRules } from './load-balancer';
import { COLOURS, type Colour, type ServiceRouting, type TargetHealthCheck, type TrafficWeights } from './types';

/** One service of an environment: the application, its routing, its weights and how both colours run it. */
export interface ServiceSettings {
  /**
   * The service's name: lowercase letters and digits in hyphen-separated words (`payments`, `order-history`). It goes
   * into every resource name (`service-<name>-<colour>-<suffix>`, `tg-<name>-<colour>-<suffix>`, …) unless
   * `unqualifiedNames`, and names the service to the operations tools.
   */
  readonly name: string;
  /** The default route (`{ default: true }`, exactly one service) or a listener rule's conditions and priority. */
  readonly routing: ServiceRouting;
  /**
   * Keep the resource names and Terraform addresses of an environment from before it listed several services
   * (`service-blue-<suffix>`, `tg-blue-<suffix>`, `compute/blue/...`): renaming them would replace the deployed ECS
   * services, target groups and roles. At most one service; new resources (its image repository) are named after it.
   * @default false
   */
  readonly unqualifiedNames?: boolean;
  /** The port the container listens on (target groups, security groups). */
  readonly containerPort: number;
  /** @default - '/health', '200', 15 s / 5 s, 3/3 */
  readonly healthCheck?: TargetHealthCheck;
  /** @default 30 */
  readonly deregistrationDelaySeconds?: number;
  /** @default 60 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** CPU target of target-tracking autoscaling. @default 60 */
  readonly cpuTargetPercent?: number;
  /** Retention of the per-colour log groups. @default 30 */
  readonly logRetentionDays?: number;
  /** This service's weights (sum 100; a colour with weight needs tasks): the only thing its traffic shift changes. */
  readonly weights: TrafficWeights;
  /** @default 0 (off) */
  readonly stickinessSeconds?: number;
  /** The colour serving this service's production traffic; the test listener forwards to the other one. */
  readonly liveColour: Colour;
  readonly blue: ColourSettings;
  readonly green: ColourSettings;
  /** Images the service's ECR repository keeps (newest first; untagged ones expire after 14 days). @default 200 */
  readonly imageRetentionCount?: number;
}

export interface BlueGreenServiceProps extends ServiceSettings {
  readonly naming: Naming;
  readonly region: string;
  readonly accountId: string;
  readonly vpcId: string;
  readonly clusterArn: string;
  readonly clusterName: string;
  /** Private subnets; tasks get no public IP. */
  readonly subnetIds: readonly string[];
  readonly loadBalancer: BlueGreenLoadBalancer;
  /**
   * The scope the unqualified service's colour services live in (the compute construct: `compute/blue`,
   * `compute/green`, as before services existed). Unused for a named service.
   */
  readonly legacyScope: Construct;
  /** `force_delete` of the image repository (images go with a destroyed environment). @default true */
  readonly repositoryForceDelete?: boolean;
}

/** Where a service's forward lives on a listener (the stack contract's `route`). */
export type ServiceRoute = { readonly kind: 'default-action'; readonly listenerArn: string } | { readonly kind: 'listener-rule'; readonly ruleArn: string };

/** A target group of a service, as metrics and the contract need it. */
export interface ServiceTargetGroup {
  readonly arn: string;
  /** `targetgroup/<name>/<id>`: the TargetGroup dimension of its metrics. */
  readonly arnSuffix: string;
  readonly name: string;
}

/** The ALB target group name limit. */
export const TARGET_GROUP_NAME_LIMIT = 32;

/** The name of a service's ECR repository: `ecr-<service>-<suffix>` (the build pipeline pushes there). */
export function imageRepositoryName(naming: Naming, service: string): string {
  return naming.name(`ecr-${service}`, 256);
}

/** The registry address of a service's ECR repository (`<account>.dkr.ecr.<region>.amazonaws.com/ecr-<service>-<suffix>`). */
export function imageRepositoryUrl(naming: Naming, service: string, accountId: string, region: string): string {
  return `${accountId}.dkr.ecr.${region}.amazonaws.com/${imageRepositoryName(naming, service)}`;
}

/**
 * One service of a blue/green environment, migrating on its own: a blue and a green ECS service, each behind its
 * own target group; its route on the HTTPS listener (the listener's default action for the default service, else a
 * listener rule with its own weighted forward and explicit priority) and the same route on the test listener
 * (forwarding to its colour under test); per colour, roles, security group and log group of its own
 * ({@link ColourService}); and an ECR repository for its images (immutable tags, scan on push, lifecycle policy,
 * AES256: KMS is reserved for Aurora, Secrets Manager and S3).
 *
 * Terraform addresses: everything of a named service lives under `compute/service-<name>/…`. The service with
 * `unqualifiedNames` keeps the addresses an environment had before it listed services: its colour services at
 * `compute/<colour>`, its target groups at `compute/load-balancer/target-group-<colour>`, the ALB's egress rules at
 * `compute/load-balancer/egress-<colour>`; only its new resources (the repository) live under `service-<name>`.
 */
export class BlueGreenService extends Construct {
  public readonly name: string;
  public readonly isDefault: boolean;
  public readonly unqualifiedNames: boolean;
  public readonly liveColour: Colour;
  /** The colour the test listener forwards this service's requests to (the one about to receive traffic). */
  public readonly testColour: Colour;
  public readonly containerPort: number;
  public readonly blue: ColourService;
  public readonly green: ColourService;
  public readonly targetGroups: Readonly<Record<Colour, ServiceTargetGroup>>;
  /** The listener rules of a routed service; undefined for the default service. */
  public readonly rules?: ServiceRules;
  /** Where this service's weighted forward lives on the HTTPS listener. */
  public readonly route: ServiceRoute;
  /** Where its forward to the colour under test lives on the test listener. */
  public readonly testRoute: ServiceRoute;
  public readonly repositoryName: string;
  public readonly repositoryUrl: string;
  public readonly repositoryArn: string;

  constructor(scope: Construct, id: string, props: BlueGreenServiceProps) {
    super(scope, id);
    const { naming, name, loadBalancer: lb } = props;
    this.name = name;
    this.isDefault = props.routing.default === true;
    this.unqualifiedNames = props.unqualifiedNames ?? false;
    this.liveColour = props.liveColour;
    this.testColour = props.liveColour === 'blue' ? 'green' : 'blue';
    this.containerPort = props.containerPort;
    const unqualified = this.unqualifiedNames;
    // `blue` or `payments-blue`: whose resource it is, in names and ids.
    const own = (colour: Colour) => (unqualified ? colour : `${name}-${colour}`);

    // --- Image repository.
    const repository = new EcrRepository(this, 'repository', {
      name: imageRepositoryName(naming, name),
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'AES256' }],
      forceDelete: props.repositoryForceDelete ?? true,
      tags: { Service: name },
    });
    new EcrLifecyclePolicy(this, 'repository-lifecycle', {
      repository: repository.name,
      policy: JSON.stringify(lifecyclePolicy(props.imageRetentionCount ?? 200)),
    });
    this.repositoryName = repository.name;
    this.repositoryUrl = repository.repositoryUrl;
    this.repositoryArn = repository.arn;

    // --- Target groups.
    const groups = {} as Record<Colour, ServiceTargetGroup>;
    for (const colour of COLOURS) {
      const tg = lb.addTargetGroup(unqualified ? lb : this, `target-group-${colour}`, {
        name: naming.name(`tg-${own(colour)}`, TARGET_GROUP_NAME_LIMIT),
        colour,
        port: props.containerPort,
        healthCheck: props.healthCheck,
        deregistrationDelaySeconds: props.deregistrationDelaySeconds,
        ...(unqualified ? {} : { tags: { Service: name } }),
      });
      groups[colour] = { arn: tg.arn, arnSuffix: tg.arnSuffix, name: tg.name };
    }
    this.targetGroups = groups;
    const targetGroupArns = { blue: groups.blue.arn, green: groups.green.arn };

    // --- Routes.
    const forward = { targetGroupArns, weights: props.weights, stickinessSeconds: props.stickinessSeconds, testColour: this.testColour };
    const waitFor: ITerraformDependable[] = [...lb.listeners];
    if (props.routing.default === true) {
      lb.routeDefault(forward);
      this.route = { kind: 'default-action', listenerArn: lb.httpsListenerArn };
      this.testRoute = { kind: 'default-action', listenerArn: lb.testListenerArn };
    } else {
      const rules = lb.addServiceRules(this, {
        ...forward,
        priority: props.routing.priority,
        pathPatterns: props.routing.pathPatterns,
        hostHeaders: props.routing.hostHeaders,
        tags: { Service: name },
      });
      this.rules = rules;
      // ECS attaches a service to a target group only once a listener (rule) forwards to it.
      waitFor.push(rules.https, rules.test);
      this.route = { kind: 'listener-rule', ruleArn: rules.https.arn };
      this.testRoute = { kind: 'listener-rule', ruleArn: rules.test.arn };
    }

    // --- Both colours.
    const services = {} as Record<Colour, ColourService>;
    for (const colour of COLOURS) {
      services[colour] = new ColourService(unqualified ? props.legacyScope : this, colour, {
        naming,
        colour,
        ...(unqualified ? {} : { service: name }),
        region: props.region,
        accountId: props.accountId,
        clusterArn: props.clusterArn,
        clusterName: props.clusterName,
        vpcId: props.vpcId,
        subnetIds: props.subnetIds,
        ...props[colour],
        containerPort: props.containerPort,
        logRetentionDays: props.logRetentionDays,
        healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSeconds,
        cpuTargetPercent: props.cpuTargetPercent,
        targetGroupArn: groups[colour].arn,
        loadBalancerSecurityGroupId: lb.securityGroupId,
        dependsOn: waitFor,
      });
      const who = unqualified ? `the ${colour} tasks` : `the ${name} ${colour} tasks`;
      lb.allowToTargets(own(colour), services[colour].securityGroupId, props.containerPort, `Application traffic to ${who}`);
    }
    this.blue = services.blue;
    this.green = services.green;
  }

  /** The ECS service of a colour. */
  service(colour: Colour): ColourService {
    return colour === 'blue' ? this.blue : this.green;
  }
}

/**
 * The repository's lifecycle: untagged layers expire after 14 days; beyond the newest `keep` images, the oldest go.
 * Keep `keep` well above the pushes between two promotions: the rollback image (the live colour's) must survive.
 */
export function lifecyclePolicy(keep: number): Record<string, unknown> {
  return {
    rules: [
      {
        rulePriority: 1,
        description: 'Expire untagged images 14 days after push',
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `Keep the newest ${keep} images`,
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keep },
        action: { type: 'expire' },
      },
    ],
  };
}
