// A minimal stack around BlueGreenCompute with literal ids (no network/database constructs needed), so the
// construct can be synthesized, inspected and planned offline on its own.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Naming } from '@bluegreen/config';
import { App, TerraformStack, Testing } from 'cdktf';
import { BlueGreenCompute, type BlueGreenComputeProps, type ServiceSettings } from '../src';
import { decodeJsonAttribute } from '@bluegreen/guardrails';

export const BLUE_SECRET = 'arn:aws:secretsmanager:us-east-1:333333333333:secret:rds!cluster-blue-AbCdEf';
export const GREEN_SECRET = 'arn:aws:secretsmanager:us-east-1:333333333333:secret:rds!cluster-green-GhIjKl';
export const BLUE_KEY = 'arn:aws:kms:us-east-1:333333333333:key/11111111-1111-4111-8111-111111111111';
export const GREEN_KEY = 'arn:aws:kms:us-east-1:333333333333:key/22222222-2222-4222-8222-222222222222';
export const ECR_IMAGE = '333333333333.dkr.ecr.us-east-1.amazonaws.com/app:2.3.1';

/** The fixture's one service (the default route, unqualified names: the shape of an environment before services). */
export function serviceProps(overrides: Partial<ServiceSettings> = {}): ServiceSettings {
  return {
    name: 'app',
    routing: { default: true },
    unqualifiedNames: true,
    containerPort: 8080,
    logRetentionDays: 30,
    healthCheck: { path: '/health', matcher: '200', intervalSeconds: 15, timeoutSeconds: 5, healthyThreshold: 3, unhealthyThreshold: 3 },
    weights: { blue: 100, green: 0 },
    liveColour: 'blue',
    blue: {
      image: ECR_IMAGE,
      cpu: 1024,
      memory: 2048,
      desiredCount: 3,
      minCount: 3,
      maxCount: 12,
      environment: { LOG_LEVEL: 'info' },
      database: { host: 'blue.cluster-abc.us-east-1.rds.amazonaws.com', name: 'app', secretArn: BLUE_SECRET, secretKmsKeyArn: BLUE_KEY, securityGroupId: 'sg-0db000000000000b1' },
      deploymentAlarmNames: ['alarm-blue-5xx-rate-test', 'alarm-blue-p95-latency-test'],
    },
    green: {
      image: 'public.ecr.aws/nginx/nginx:1.27.4',
      cpu: 512,
      memory: 1024,
      desiredCount: 2,
      database: { host: 'green.cluster-abc.us-east-1.rds.amazonaws.com', name: 'app', secretArn: GREEN_SECRET, secretKmsKeyArn: GREEN_KEY, securityGroupId: 'sg-0db000000000000g1' },
      deploymentAlarmNames: ['alarm-green-5xx-rate-test', 'alarm-green-p95-latency-test'],
    },
    ...overrides,
  };
}

/** A named service routed by a listener rule: `payments` on `/payments/*` at priority 10 unless overridden. */
export function routedService(name: string, overrides: Partial<ServiceSettings> = {}): ServiceSettings {
  const base = serviceProps();
  return {
    ...base,
    name,
    routing: { pathPatterns: [`/${name}`, `/${name}/*`], priority: 10 },
    unqualifiedNames: false,
    blue: { ...base.blue, image: `333333333333.dkr.ecr.us-east-1.amazonaws.com/ecr-${name}-test:1.0.0`, deploymentAlarmNames: [`alarm-${name}-blue-5xx-rate-test`] },
    green: { ...base.green, deploymentAlarmNames: [`alarm-${name}-green-5xx-rate-test`] },
    ...overrides,
  };
}

export const STRIPE = 'arn:aws:secretsmanager:us-east-1:333333333333:secret:payments/stripe-AbCdEf';
export const STRIPE_KEY = 'arn:aws:kms:us-east-1:333333333333:key/33333333-3333-4333-8333-333333333333';

/** `app` (default, unqualified names), `payments` (paths, priority 10), `catalog` (host, priority 20, green live, port 9090). */
export function threeServices(overrides: { app?: Partial<ServiceSettings>; payments?: Partial<ServiceSettings>; catalog?: Partial<ServiceSettings> } = {}): ServiceSettings[] {
  const payments = routedService('payments', overrides.payments);
  return [
    serviceProps(overrides.app),
    {
      ...payments,
      green: { ...payments.green, secrets: [{ name: 'STRIPE_KEY', secretArn: STRIPE, jsonKey: 'key', kmsKeyArn: STRIPE_KEY }] },
      ...overrides.payments,
    },
    routedService('catalog', {
      routing: { hostHeaders: ['catalog.example.com'], priority: 20 },
      containerPort: 9090,
      liveColour: 'green',
      weights: { blue: 0, green: 100 },
      ...overrides.catalog,
    }),
  ];
}

const SERVICE_KEYS: readonly (keyof ServiceSettings)[] = [
  'name',
  'routing',
  'unqualifiedNames',
  'containerPort',
  'healthCheck',
  'deregistrationDelaySeconds',
  'healthCheckGracePeriodSeconds',
  'cpuTargetPercent',
  'logRetentionDays',
  'weights',
  'stickinessSeconds',
  'liveColour',
  'blue',
  'green',
  'imageRetentionCount',
];

/**
 * Props of a compute with the fixture's one service. Overrides of a service setting (`weights`, `blue`, …) apply to
 * that service; `services` replaces the list.
 */
export function computeProps(overrides: Partial<BlueGreenComputeProps> & Partial<ServiceSettings> = {}): BlueGreenComputeProps {
  const serviceOverrides = Object.fromEntries(Object.entries(overrides).filter(([k]) => (SERVICE_KEYS as string[]).includes(k)));
  const computeOverrides = Object.fromEntries(Object.entries(overrides).filter(([k]) => !(SERVICE_KEYS as string[]).includes(k)));
  return {
    naming: new Naming('test'),
    region: 'us-east-1',
    accountId: '333333333333',
    vpcId: 'vpc-0123456789abcdef0',
    publicSubnetIds: ['subnet-0a0000000000000a1', 'subnet-0a0000000000000a2', 'subnet-0a0000000000000a3'],
    privateSubnetIds: ['subnet-0b0000000000000b1', 'subnet-0b0000000000000b2', 'subnet-0b0000000000000b3'],
    loadBalancer: {
      certificate: { arn: 'arn:aws:acm:us-east-1:333333333333:certificate/00000000-0000-4000-8000-000000000003' },
      ingressCidrs: ['0.0.0.0/0'],
      testListenerPort: 8443,
      testListenerCidrs: ['10.0.0.0/8'],
      deletionProtection: true,
      accessLogRetentionDays: 90,
    },
    services: [serviceProps(serviceOverrides as Partial<ServiceSettings>)],
    ...computeOverrides,
  };
}

export function buildStack(overrides: Partial<BlueGreenComputeProps> & Partial<ServiceSettings> = {}): { stack: TerraformStack; compute: BlueGreenCompute; app: App } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'compute-test');
  new AwsProvider(stack, 'aws', {
    region: 'us-east-1',
    defaultTags: [{ tags: { Environment: 'test', Project: 'bluegreen', Owner: 'platform-team', CostCenter: 'cc-1234', ManagedBy: 'cdktf' } }],
  });
  const compute = new BlueGreenCompute(stack, 'compute', computeProps(overrides));
  return { stack, compute, app };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** The synthesized Terraform JSON of a fresh stack with these props. */
export function synthJson(overrides: Partial<BlueGreenComputeProps> & Partial<ServiceSettings> = {}): Json {
  return JSON.parse(Testing.synth(buildStack(overrides).stack));
}

/** Every resource of a type as [logical name, body]. */
export function resources(json: Json, type: string): [string, Json][] {
  return Object.entries(json.resource?.[type] ?? {});
}

/** The one resource of a type whose logical name contains `part`. */
export function resource(json: Json, type: string, part: string): Json {
  const found = resources(json, type).filter(([name]) => name.includes(part));
  if (found.length !== 1) throw new Error(`expected one ${type} named like ${part}, found ${found.map(([n]) => n).join(', ') || 'none'}`);
  return found[0][1];
}

/** Reads a synthesized JSON-document attribute (literal JSON or `${jsonencode(...)}`), as the guardrails do. */
export function decodeJson(value: string): Json {
  return decodeJsonAttribute(value) as Json;
}
