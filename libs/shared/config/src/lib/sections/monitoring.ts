import { z } from 'zod';

export const thresholdsSchema = z.strictObject({
  /** ECS service CPU, percent. @default 80 */
  ecsCpuPercent: z.number().min(1).max(100).default(80),
  /** ECS service memory, percent. @default 80 */
  ecsMemoryPercent: z.number().min(1).max(100).default(80),
  /** Target 5xx responses as a percent of requests (a rollback signal). @default 1 */
  http5xxRatePercent: z.number().min(0.01).max(100).default(1),
  /** p95 target response time, seconds (a rollback signal). @default 2 */
  p95LatencySeconds: z.number().min(0.01).max(60).default(2),
  /** Unhealthy targets tolerated. @default 0 */
  unhealthyHosts: z.number().int().min(0).default(0),
  /** Aurora DatabaseConnections per instance. @default 400 */
  dbConnections: z.number().int().min(1).default(400),
  /** Aurora CPU, percent. @default 80 */
  dbCpuPercent: z.number().min(1).max(100).default(80),
  /** Aurora FreeableMemory floor, MiB. @default 256 */
  dbFreeableMemoryMiB: z.number().int().min(1).default(256),
  /** AuroraReplicaLag ceiling, milliseconds. @default 1000 */
  dbReplicaLagMs: z.number().int().min(1).default(1000),
});

export const monitoringSchema = z.strictObject({
  /** E-mail subscriptions of the alarm topic. @default [] */
  alarmEmails: z.array(z.email()).default([]),
  /** Alarm period, seconds. @default 60 */
  periodSeconds: z.union([z.literal(10), z.literal(30), z.literal(60), z.literal(300)]).default(60),
  /** Periods that must all breach before an alarm fires. @default 3 */
  evaluationPeriods: z.number().int().min(1).max(20).default(3),
  thresholds: thresholdsSchema.prefault({}),
});

export type MonitoringConfig = z.infer<typeof monitoringSchema>;
export type Thresholds = z.infer<typeof thresholdsSchema>;

/** The rollback signals of docs/design.md (5xx > 1 %, p95 > 2 s, …): every threshold's default, in one place. */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze(thresholdsSchema.parse({}));
