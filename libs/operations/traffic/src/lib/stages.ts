import type { Colour } from '@bluegreen/config';

/** Listener (or DNS) weights in percent; they sum to 100. */
export interface Weights {
  readonly blue: number;
  readonly green: number;
}

export interface ShiftRequest {
  /** The colour that serves production and is the rollback target. */
  readonly live: Colour;
  /** The weights now (from the config). */
  readonly current: Weights;
  /** The configured stages for the colour receiving traffic, strictly increasing, ending at 100. */
  readonly stages: readonly number[];
  /** The colour named on the command line. */
  readonly to: Colour;
  /** The percent that colour should receive. */
  readonly percent: number;
  /** Tasks each colour runs (compute.<colour>.desiredCount). */
  readonly desiredCount: Readonly<Record<Colour, number>>;
  /** Skip the stage rule (never the bounds or the task rule). @default false */
  readonly force?: boolean;
}

export type ShiftDirection = 'forward' | 'rollback' | 'none';

export type ShiftVerdict =
  | {
      readonly allowed: true;
      readonly weights: Weights;
      readonly direction: ShiftDirection;
      /** Set when --force let through a jump that skips stages. */
      readonly forcedPastStages?: readonly number[];
      readonly reason: string;
    }
  | { readonly allowed: false; readonly reason: string };

export const otherColour = (c: Colour): Colour => (c === 'blue' ? 'green' : 'blue');

/**
 * Decides whether a traffic shift may happen. The rules:
 * - percent is a whole number 0..100;
 * - a colour that would receive traffic must have tasks (never overridable);
 * - moving traffic back toward the live colour (the rollback direction) is always allowed;
 * - moving traffic away from the live colour may not skip a configured stage, unless `force`.
 * Shifts are measured on the candidate (non-live) colour: `--to blue --percent 90` with blue live is candidate green 10.
 */
export function evaluateShift(req: ShiftRequest): ShiftVerdict {
  const { live, current, stages, to, percent, desiredCount } = req;
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
    return { allowed: false, reason: `percent must be a whole number 0-100, got ${percent}` };
  }
  const candidate = otherColour(live);
  const target = to === candidate ? percent : 100 - percent;
  const weights: Weights = candidate === 'green' ? { blue: 100 - target, green: target } : { blue: target, green: 100 - target };
  for (const colour of ['blue', 'green'] as const) {
    if (weights[colour] > 0 && desiredCount[colour] === 0) {
      return { allowed: false, reason: `${colour} would receive ${weights[colour]} % but compute.${colour}.desiredCount is 0: scale it up (and deploy) first` };
    }
  }
  const from = current[candidate];
  const describe = `${candidate} ${from} % -> ${target} % (blue/green ${weights.blue}/${weights.green})`;
  if (target === from) return { allowed: true, weights, direction: 'none', reason: `no change: ${candidate} already receives ${from} %` };
  if (target < from) return { allowed: true, weights, direction: 'rollback', reason: `toward the live colour ${live}: ${describe}` };
  const skipped = stages.filter((s) => s > from && s < target);
  if (skipped.length > 0) {
    if (!req.force) {
      const next = stages.find((s) => s > from);
      return {
        allowed: false,
        reason: `${describe} skips configured stage${skipped.length > 1 ? 's' : ''} ${skipped.join(', ')} % (stages: ${stages.join(', ')}); next stage is ${next} %, or pass --force`,
      };
    }
    return { allowed: true, weights, direction: 'forward', forcedPastStages: skipped, reason: `${describe}, forced past stage${skipped.length > 1 ? 's' : ''} ${skipped.join(', ')} %` };
  }
  return { allowed: true, weights, direction: 'forward', reason: describe };
}

/** The next configured stage above `from`, or undefined at 100. */
export function nextStage(stages: readonly number[], from: number): number | undefined {
  return stages.find((s) => s > from);
}
