/**
 * The one AWS client factory of the command line. Every SDK client it makes has:
 * - a connect timeout and a whole-request timeout per attempt (thrown, not only logged), and a socket idle timeout;
 * - a bounded retry budget (`maxAttempts`, the SDK's standard retry mode);
 * - the command's overall {@link Deadline}: each call gets its abort signal;
 * - errors that name the call (its IAM action) and the endpoint it went to ({@link AwsCallError}).
 * `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` (the SDK's own settings) point a client elsewhere.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DatabaseMigrationServiceClient } from '@aws-sdk/client-database-migration-service';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import type { Deadline } from './deadline';
import { DeadlineExceededError, toAwsCallError } from './errors';
import { DEFAULT_AWS_TIMEOUTS, VALIDATOR_INVOKE_TIMEOUT_MS, type AwsTimeouts } from './timeouts';

export interface AwsClientOptions {
  readonly region: string;
  /** @default DEFAULT_AWS_TIMEOUTS */
  readonly timeouts?: AwsTimeouts;
  /** The command's overall deadline; every call is aborted when it passes. */
  readonly deadline?: Deadline;
  /** An S3-compatible endpoint for the state bucket (path-style addressing), instead of AWS or AWS_ENDPOINT_URL_S3. */
  readonly s3Endpoint?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface AwsClients {
  readonly elb: ElasticLoadBalancingV2Client;
  readonly cloudwatch: CloudWatchClient;
  readonly ecs: ECSClient;
  readonly lambda: LambdaClient;
  readonly s3: S3Client;
  readonly dms: DatabaseMigrationServiceClient;
}

/** The IAM service prefix and endpoint prefix of each client (`elasticloadbalancing:ModifyListener`). */
const SERVICES: Record<keyof AwsClients, { iam: string; host: string; env: string }> = {
  elb: { iam: 'elasticloadbalancing', host: 'elasticloadbalancing', env: 'ELASTIC_LOAD_BALANCING_V2' },
  cloudwatch: { iam: 'cloudwatch', host: 'monitoring', env: 'CLOUDWATCH' },
  ecs: { iam: 'ecs', host: 'ecs', env: 'ECS' },
  lambda: { iam: 'lambda', host: 'lambda', env: 'LAMBDA' },
  s3: { iam: 's3', host: 's3', env: 'S3' },
  dms: { iam: 'dms', host: 'dms', env: 'DATABASE_MIGRATION_SERVICE' },
};

interface Sendable {
  send(command: unknown, options?: Record<string, unknown>): Promise<unknown>;
  middlewareStack: { add(mw: unknown, options: Record<string, unknown>): void };
}

/** The SDK handler settings for these timeouts (what every client gets). */
export function requestHandlerSettings(t: AwsTimeouts, requestTimeoutMs = t.requestTimeoutMs) {
  return { connectionTimeout: t.connectTimeoutMs, requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true, socketTimeout: requestTimeoutMs };
}

/**
 * Wraps an SDK client's `send`: the deadline's abort signal on every call, the endpoint recorded from the request,
 * and every failure turned into an AwsCallError (or DeadlineExceededError) naming the action and the endpoint.
 */
function instrument<C>(client: C, key: keyof AwsClients, region: string, env: NodeJS.ProcessEnv, deadline?: Deadline, explicitEndpoint?: string): C {
  const c = client as unknown as Sendable;
  const svc = SERVICES[key];
  let seen: string | undefined;
  const endpoint = () => seen ?? explicitEndpoint ?? env[`AWS_ENDPOINT_URL_${svc.env}`] ?? env.AWS_ENDPOINT_URL ?? `https://${svc.host}.${region}.amazonaws.com`;
  c.middlewareStack.add(
    (next: (args: { request: unknown }) => Promise<unknown>) => async (args: { request: unknown }) => {
      const r = args.request as { protocol?: string; hostname?: string; port?: number } | undefined;
      if (r?.hostname) seen = `${r.protocol ?? 'https:'}//${r.hostname}${r.port ? `:${r.port}` : ''}`;
      return next(args);
    },
    { step: 'finalizeRequest', name: 'bluegreenEndpointRecorder', override: true },
  );
  // The class's own send, looked up at each call (test doubles replace it on the prototype).
  const send = (command: unknown, options: Record<string, unknown>) => (Object.getPrototypeOf(c) as Sendable).send.call(c, command, options);
  c.send = async (command: unknown, options?: Record<string, unknown>) => {
    const name = (command as { constructor?: { name?: string } })?.constructor?.name ?? 'Command';
    const action = `${svc.iam}:${name.replace(/Command$/, '')}`;
    if (deadline?.expired) throw deadline.error(action, endpoint());
    const end = deadline?.begin(action, endpoint);
    try {
      return await send(command, { ...(deadline ? { abortSignal: deadline.signal } : {}), ...options });
    } catch (err) {
      if (deadline?.expired) throw deadline.error(action, endpoint());
      if (err instanceof DeadlineExceededError) throw err;
      throw toAwsCallError(err, action, endpoint());
    } finally {
      end?.();
    }
  };
  return client;
}

/** The clients for one command (made lazily: a command that needs no ECS never builds an ECS client). */
export function createAwsClients(o: AwsClientOptions): AwsClients {
  const t = o.timeouts ?? DEFAULT_AWS_TIMEOUTS;
  const env = o.env ?? process.env;
  const common = { region: o.region, maxAttempts: t.maxAttempts, retryMode: 'standard', requestHandler: requestHandlerSettings(t) };
  const s3Endpoint = o.s3Endpoint;
  const customS3 = s3Endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  const make: { [K in keyof AwsClients]: () => AwsClients[K] } = {
    elb: () => new ElasticLoadBalancingV2Client(common),
    cloudwatch: () => new CloudWatchClient(common),
    ecs: () => new ECSClient(common),
    lambda: () => new LambdaClient({ ...common, maxAttempts: 1, requestHandler: requestHandlerSettings(t, Math.max(t.requestTimeoutMs, VALIDATOR_INVOKE_TIMEOUT_MS)) }),
    s3: () =>
      new S3Client({
        ...common,
        ...(s3Endpoint ? { endpoint: s3Endpoint } : {}),
        // S3-compatible servers (a local mirror, tests) want path-style addressing and plain checksums.
        ...(customS3 ? { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
      }),
    dms: () => new DatabaseMigrationServiceClient(common),
  };
  const cache: { -readonly [K in keyof AwsClients]?: AwsClients[K] } = {};
  const clients = {} as AwsClients;
  for (const key of Object.keys(make) as (keyof AwsClients)[]) {
    Object.defineProperty(clients, key, {
      enumerable: true,
      get: () => (cache[key] ??= instrument(make[key](), key, o.region, env, o.deadline, key === 's3' ? s3Endpoint : undefined) as never),
    });
  }
  return clients;
}
