import type { EnvironmentConfig } from './environment';
import type { ServiceConfig } from './sections/services';

/**
 * The service a command was asked for is missing or unknown. A usage error (the command line's exit 64): the
 * message names the environment's services so the operator can pick one.
 */
export class ServiceSelectionError extends Error {
  constructor(
    message: string,
    /** The environment's services, in config order. */
    readonly services: readonly string[],
  ) {
    super(message);
    this.name = 'ServiceSelectionError';
  }
}

/** A service of the environment with its name. */
export interface ResolvedService<S = ServiceConfig> {
  readonly name: string;
  readonly service: S;
}

/** What the resolution reads: the environment's name and its services by name. */
export interface ServicesByName<S> {
  readonly environment: string;
  readonly services: Readonly<Record<string, S>>;
}

/** The environment's services in config order. */
export function serviceNames(config: { readonly services: Readonly<Record<string, unknown>> }): string[] {
  return Object.keys(config.services);
}

/** The default service's name (the one answering what no rule matches; config guarantees exactly one). */
export function defaultServiceName(config: Pick<EnvironmentConfig, 'services'>): string {
  const names = serviceNames(config);
  return names.find((n) => config.services[n].routing.default) ?? names[0];
}

/**
 * The service a command works on: the one named, or, when none is named, the environment's only service. Throws
 * {@link ServiceSelectionError} listing the services when the name is unknown, or when none is named and the
 * environment has several (a traffic change must never land on a service nobody chose).
 */
export function resolveService<S = ServiceConfig>(config: ServicesByName<S>, name?: string): ResolvedService<S> {
  const names = serviceNames(config);
  const list = names.join(', ');
  if (name === undefined || name === '') {
    if (names.length === 1) return { name: names[0], service: config.services[names[0]] };
    throw new ServiceSelectionError(`--service is required: environment ${config.environment} has ${names.length} services (${list})`, names);
  }
  if (!Object.prototype.hasOwnProperty.call(config.services, name)) {
    throw new ServiceSelectionError(`--service ${JSON.stringify(name)}: environment ${config.environment} has no such service (services: ${list})`, names);
  }
  return { name, service: config.services[name] };
}
