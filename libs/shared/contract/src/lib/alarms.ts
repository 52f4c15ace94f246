/**
 * Alarm names. The stack creates them and the operations read them; both build them here.
 * Each is `alarm-{service}-{colour}-{signal}-{suffix}` (the `{resource-type}-{environment-suffix}` rule), and the
 * command line reads the exact names from the stack contract rather than matching a prefix (a prefix of one service
 * can be the start of another service's name).
 */
import type { Colour } from './colour';

/** The per-colour signals the stack alarms on; the rollback matrix reads the same ones. */
export const COLOUR_ALARM_SIGNALS = ['cpu', 'memory', '5xx-rate', 'p95-latency', 'unhealthy-hosts'] as const;
export type ColourAlarmSignal = (typeof COLOUR_ALARM_SIGNALS)[number];

/** The resource type of a colour alarm of a service, to be suffixed by the environment's naming. */
export const colourAlarmType = (service: string, colour: Colour, signal: ColourAlarmSignal): string => `alarm-${service}-${colour}-${signal}`;
