/**
 * Alarm names. The stack creates them and the operations read them; both build them here.
 * Each is `alarm-{service}-{colour}-{signal}-{suffix}` (the `{resource-type}-{environment-suffix}` rule), and the
 * command line reads the exact names from the stack contract rather than matching a prefix (a prefix of one service
 * can be the start of another service's name).
 *
 * One service may keep the unqualified names `alarm-{colour}-{signal}-{suffix}`: the service an environment had
 * before it listed several (renaming a deployed alarm replaces it, and its ECS services name it as a deployment alarm).
 */
import type { Colour } from './colour';

/** The per-colour signals the stack alarms on; the rollback matrix reads the same ones. */
export const COLOUR_ALARM_SIGNALS = ['cpu', 'memory', '5xx-rate', 'p95-latency', 'unhealthy-hosts'] as const;
export type ColourAlarmSignal = (typeof COLOUR_ALARM_SIGNALS)[number];

/** The resource type of a colour alarm of a service, to be suffixed by the environment's naming. */
export const colourAlarmType = (service: string, colour: Colour, signal: ColourAlarmSignal): string => `alarm-${service}-${colour}-${signal}`;

/**
 * The resource type of a colour alarm of the one service that keeps an environment's single-service names
 * (`alarm-{colour}-{signal}`, see the module comment). Every other service uses {@link colourAlarmType}.
 */
export const unqualifiedColourAlarmType = (colour: Colour, signal: ColourAlarmSignal): string => `alarm-${colour}-${signal}`;
