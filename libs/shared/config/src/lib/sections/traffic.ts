import { COLOURS } from '@bluegreen/contract';
import { z } from 'zod';
import { percent } from './common';

export { COLOURS, type Colour } from '@bluegreen/contract';

export const DEFAULT_STAGES = [5, 10, 25, 50, 75, 100] as const;

export const trafficSchema = z.strictObject({
  /** The colour that serves production and is the rollback target. */
  live: z.enum(COLOURS),
  /** Listener weight of blue, percent; blue + green sum to 100. */
  blue: percent,
  /** Listener weight of green, percent. */
  green: percent,
  /** Staged shift percentages for the colour receiving traffic. @default [5, 10, 25, 50, 75, 100] */
  stages: z.array(z.number().int().min(1).max(100)).min(1).default([...DEFAULT_STAGES]),
  /** Target-group stickiness on the weighted forward (seconds); 0 turns it off. @default 0 */
  stickinessSeconds: z.number().int().min(0).max(604800).default(0),
  /** After promotion, how long the old colour keeps its tasks for a rollback. @default 60 */
  rollbackWindowMinutes: z.number().int().min(0).max(10080).default(60),
  /**
   * When the live colour last changed (`bluegreen traffic promote`, ISO 8601 UTC). The old colour keeps its tasks until
   * promotedAt + rollbackWindowMinutes; `bluegreen traffic promote --finalize` then scales it to zero and clears this.
   * @default - not promoted (no rollback window running)
   */
  promotedAt: z.iso.datetime({ error: 'must be an ISO 8601 UTC timestamp like 2026-01-31T12:00:00Z' }).optional(),
  /**
   * When `bluegreen traffic rollback` last wrote this file (ISO 8601 UTC, set by the command). It makes every
   * rollback a distinct version of the file, so a shift that read the file before the rollback always sees that it
   * changed and refuses, even when the rollback restored weights it had read.
   * @default - never rolled back
   */
  rolledBackAt: z.iso.datetime({ offset: false, precision: 3, error: 'must be an ISO 8601 UTC timestamp with milliseconds like 2026-01-31T12:00:00.000Z' }).optional(),
});

export type TrafficConfig = z.infer<typeof trafficSchema>;
