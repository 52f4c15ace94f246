import type { Colour } from '@bluegreen/config';
import { evaluateShift, nextStage } from '../src';

const STAGES = [5, 10, 25, 50, 75, 100];
const both = { blue: 2, green: 2 };

type Row = [string, { live: Colour; blue: number; green: number; to: Colour; percent: number; force?: boolean; desired?: Record<Colour, number> }, 'allow' | 'refuse', string];

describe('evaluateShift (stage rules, table)', () => {
  it.each<Row>([
    ['first stage from 0', { live: 'blue', blue: 100, green: 0, to: 'green', percent: 5 }, 'allow', 'blue/green 95/5'],
    ['below the first stage', { live: 'blue', blue: 100, green: 0, to: 'green', percent: 3 }, 'allow', 'blue/green 97/3'],
    ['skipping 5 to reach 10', { live: 'blue', blue: 100, green: 0, to: 'green', percent: 10 }, 'refuse', 'skips configured stage 5 %'],
    ['skipping 5 with --force', { live: 'blue', blue: 100, green: 0, to: 'green', percent: 10, force: true }, 'allow', 'forced past stage 5 %'],
    ['next stage 5 -> 10', { live: 'blue', blue: 95, green: 5, to: 'green', percent: 10 }, 'allow', 'blue/green 90/10'],
    ['10 -> 50 skips 25', { live: 'blue', blue: 90, green: 10, to: 'green', percent: 50 }, 'refuse', 'skips configured stage 25 %'],
    ['10 -> 100 skips four stages', { live: 'blue', blue: 90, green: 10, to: 'green', percent: 100 }, 'refuse', 'skips configured stages 25, 50, 75 %'],
    ['75 -> 100', { live: 'blue', blue: 25, green: 75, to: 'green', percent: 100 }, 'allow', 'blue/green 0/100'],
    ['between stages 25 -> 40', { live: 'blue', blue: 75, green: 25, to: 'green', percent: 40 }, 'allow', 'blue/green 60/40'],
    ['rollback 50 -> 0 (back to live)', { live: 'blue', blue: 50, green: 50, to: 'blue', percent: 100 }, 'allow', 'toward the live colour blue'],
    ['rollback 50 -> 10 without stages', { live: 'blue', blue: 50, green: 50, to: 'green', percent: 10 }, 'allow', 'toward the live colour blue'],
    ['live colour named, away from live: blue 90 = green 10', { live: 'blue', blue: 95, green: 5, to: 'blue', percent: 90 }, 'allow', 'blue/green 90/10'],
    ['live colour named, skipping: blue 50 = green 50', { live: 'blue', blue: 95, green: 5, to: 'blue', percent: 50 }, 'refuse', 'skips configured stages 10, 25 %'],
    ['green live, shifting to blue', { live: 'green', blue: 0, green: 100, to: 'blue', percent: 5 }, 'allow', 'blue/green 5/95'],
    ['no change', { live: 'blue', blue: 90, green: 10, to: 'green', percent: 10 }, 'allow', 'no change'],
    ['percent above 100', { live: 'blue', blue: 100, green: 0, to: 'green', percent: 101 }, 'refuse', 'percent must be a whole number 0-100, got 101'],
    ['negative percent', { live: 'blue', blue: 100, green: 0, to: 'green', percent: -5, force: true }, 'refuse', 'percent must be a whole number 0-100, got -5'],
    ['fractional percent', { live: 'blue', blue: 100, green: 0, to: 'green', percent: 2.5 }, 'refuse', 'got 2.5'],
    ['target without tasks', { live: 'blue', blue: 100, green: 0, to: 'green', percent: 5, desired: { blue: 2, green: 0 } }, 'refuse', 'compute.green.desiredCount is 0'],
    ['target without tasks, even forced', { live: 'blue', blue: 100, green: 0, to: 'green', percent: 5, force: true, desired: { blue: 2, green: 0 } }, 'refuse', 'compute.green.desiredCount is 0'],
    ['all traffic to green leaves blue free to have no tasks', { live: 'blue', blue: 25, green: 75, to: 'green', percent: 100, desired: { blue: 0, green: 2 } }, 'allow', 'blue/green 0/100'],
  ])('%s', (_name, r, expected, text) => {
    const v = evaluateShift({ live: r.live, current: { blue: r.blue, green: r.green }, stages: STAGES, to: r.to, percent: r.percent, desiredCount: r.desired ?? both, force: r.force });
    expect(v.allowed ? 'allow' : 'refuse').toBe(expected);
    expect(v.reason).toContain(text);
  });

  it('returns the new weights and the direction', () => {
    expect(evaluateShift({ live: 'blue', current: { blue: 95, green: 5 }, stages: STAGES, to: 'green', percent: 10, desiredCount: both })).toMatchObject({
      allowed: true,
      weights: { blue: 90, green: 10 },
      direction: 'forward',
    });
    expect(evaluateShift({ live: 'green', current: { blue: 30, green: 70 }, stages: STAGES, to: 'green', percent: 100, desiredCount: both })).toMatchObject({
      allowed: true,
      weights: { blue: 0, green: 100 },
      direction: 'rollback',
    });
    expect(evaluateShift({ live: 'blue', current: { blue: 100, green: 0 }, stages: STAGES, to: 'green', percent: 25, force: true, desiredCount: both })).toMatchObject({
      forcedPastStages: [5, 10],
    });
  });

  it.each([
    [0, 5],
    [5, 10],
    [7, 10],
    [75, 100],
    [100, undefined],
  ])('nextStage after %p is %p', (from, next) => expect(nextStage(STAGES, from)).toBe(next));
});
