/**
 * Usage errors and "did you mean": kept apart from context.ts so that the program's start (main.ts) loads nothing
 * more than this (context.ts brings the workspace contract and its schemas, which only commands need).
 */

/** The command line is wrong (exit 64): the message says what, and names the closest valid value when there is one. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The command could not check or could not run (exit 2): unreachable, unreadable, nothing compared. */
export class CannotRunError extends Error {
  override readonly name = 'CannotRunError';
}

/** Damerau-Levenshtein distance (adjacent transpositions count 1): `prdo` is 1 from `prod`. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidate closest to `name`, when it is close enough to be a likely typo (at most 40 % of the characters
 * differ, or the one is a prefix of the other); undefined otherwise.
 */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = candidate.startsWith(name) || name.startsWith(candidate) ? Math.min(1, editDistance(name, candidate)) : editDistance(name, candidate);
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (!best) return undefined;
  return best.distance <= Math.max(1, Math.floor(0.4 * Math.max(name.length, best.candidate.length))) ? best.candidate : undefined;
}

/** ` (did you mean 'x'?)`, or nothing. */
export const didYouMean = (name: string, candidates: readonly string[]): string => {
  const c = closest(name, candidates);
  return c === undefined ? '' : ` (did you mean '${c}'?)`;
};
