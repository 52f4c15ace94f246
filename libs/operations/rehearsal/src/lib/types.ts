import type { Colour } from '@bluegreen/contract';

export const SCENARIOS = ['happy', 'bad-green', 'slow-green', 'breaking-schema', 'rollback-after-cutover'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export type EventKind = 'setup' | 'stage' | 'gate' | 'alarm' | 'rollback' | 'cutover' | 'db-rollback' | 'promote' | 'fault' | 'info';

/** Something that happened, at `t` ms since the rehearsal's start. */
export interface RehearsalEvent {
  readonly t: number;
  readonly kind: EventKind;
  readonly text: string;
}

/** One point of the timeline. Values not measured in that instant are undefined (never 0 in their place). */
export interface TimelineSample {
  readonly t: number;
  readonly weights: { readonly blue: number; readonly green: number };
  /** 5xx rate, percent, over the metrics window. */
  readonly errorRate: Partial<Record<Colour, number>>;
  /** p95 target response time, seconds, over the metrics window. */
  readonly p95: Partial<Record<Colour, number>>;
  /** Latency of the running replication, seconds. */
  readonly lagSeconds?: number;
  readonly lagDirection?: 'forward' | 'reverse';
}

export interface Kpi {
  readonly name: string;
  readonly expected: string;
  readonly actual: string;
  readonly met: boolean;
}

/** What a run measured, from which the KPIs are judged (./kpi.ts). */
export interface RehearsalFacts {
  readonly watchIntervalMs: number;
  readonly stages: readonly number[];
  /** Stages the candidate reached (listener set), in order. */
  readonly stagesReached: readonly number[];
  readonly requests: { readonly total: number; readonly failed: readonly FailedRequest[]; readonly servedBy: Readonly<Record<Colour, number>> };
  readonly acknowledgedWrites: number;
  /** Acknowledged ids not found in the database of record. */
  readonly lostWrites: readonly string[];
  readonly databaseOfRecord: 'old' | 'new';
  readonly gateRefusal?: { readonly stage: number; readonly gate: string; readonly detail: string };
  readonly rollback?: { readonly t: number; readonly stage: number; readonly reasons: readonly string[]; readonly firstBadSignalT?: number };
  /** The watch ended on hold (or the load ended) before the last stage. */
  readonly stalled?: string;
  readonly cutover?: { readonly outcome: string; readonly t: number; readonly reverseRunning: boolean; readonly detail: string };
  readonly dbRollback?: { readonly outcome: string; readonly t: number; readonly detail: string };
  /** Writes acknowledged between the cutover switch and the database rollback, and how many of them the old database has. */
  readonly writesSinceCutover?: { readonly acknowledged: number; readonly onOld: number };
  readonly promoted?: { readonly from: Colour; readonly to: Colour };
  readonly verify: { readonly identical: boolean; readonly compared: readonly string[]; readonly detail: string } | { readonly error: string };
  /** breaking-schema: the old version's read run against the new database (undefined: not run). */
  readonly oldQueryOnNewSchema?: { readonly failed: boolean; readonly detail: string };
}

export interface FailedRequest {
  readonly kind: 'write' | 'read';
  readonly start: number;
  readonly end: number;
  readonly status: number;
  readonly servedBy?: Colour;
  readonly error?: string;
}

export interface RehearsalSettings {
  readonly env: string;
  readonly rate: number;
  readonly maxDurationSeconds: number;
  readonly holdSeconds: number;
  readonly intervalSeconds: number;
  readonly windowSeconds: number;
  readonly stages: readonly number[];
  readonly thresholds: { readonly http5xxRatePercent: number; readonly p95LatencySeconds: number; readonly unhealthyHosts: number };
  readonly cdcLatencyThresholdSeconds: number;
  /** How the short form relates to the environment's real timings. */
  readonly timeScale: string;
  readonly databases: string;
}

export interface RehearsalResult {
  readonly scenario: ScenarioName;
  readonly description: string;
  readonly expectation: string;
  /** `met`: every KPI met (exit 0); `missed`: one or more missed (exit 1); `error`: the rehearsal could not run (exit 2). */
  readonly outcome: 'met' | 'missed' | 'error';
  readonly error?: string;
  readonly kpis: readonly Kpi[];
  readonly settings: RehearsalSettings;
  readonly facts?: RehearsalFacts;
  readonly events: readonly RehearsalEvent[];
  readonly timeline: readonly TimelineSample[];
  readonly startedAt: string;
  readonly durationMs: number;
}
