import { compareChunks, compareUtf8, MAX_CHUNKS, planChunks, reconcile, type RawDifference } from './chunks';

describe('planChunks', () => {
  it('cuts a full key list into chunks of about chunkSize', () => {
    const keys = Array.from({ length: 1000 }, (_, i) => String(i + 1));
    const plan = planChunks(keys, 1, 100);
    expect(plan.estimatedRows).toBe(1000);
    expect(plan.boundaries).toEqual(['101', '201', '301', '401', '501', '601', '701', '801', '901']);
  });

  it('scales a sample up and never plans more than MAX_CHUNKS chunks', () => {
    const sample = Array.from({ length: 10_000 }, (_, i) => String(i));
    const plan = planChunks(sample, 0.0001, 1); // 100M rows estimated, chunk size 1 asked
    expect(plan.estimatedRows).toBe(100_000_000);
    expect(plan.boundaries.length).toBeLessThan(MAX_CHUNKS);
  });

  it('drops duplicate boundaries (low-cardinality leading key) and needs none for a small table', () => {
    expect(planChunks(['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'], 1, 2).boundaries).toEqual(['b']);
    expect(planChunks(['1', '2'], 1, 10).boundaries).toEqual([]);
    expect(planChunks([], 1, 10).boundaries).toEqual([]);
  });

  it('rejects nonsense by name', () => {
    expect(() => planChunks([], 0, 10)).toThrow('samplingFraction must be in (0, 1], got 0');
    expect(() => planChunks([], 1, 0)).toThrow('chunkSize must be a positive integer, got 0');
  });
});

describe('compareChunks', () => {
  const c = (chunk: number, rows: string, hash: string) => ({ chunk, rows, hash });
  it('flags chunks that differ in count or hash or exist on one side only, and sums rows', () => {
    const r = compareChunks([c(0, '10', '5'), c(1, '10', '7'), c(2, '3', '1'), c(4, '1', '1')], [c(0, '10', '5'), c(1, '10', '8'), c(3, '2', '2'), c(4, '2', '1')]);
    expect(r.differing).toEqual([1, 2, 3, 4]);
    expect(r.sourceRows).toBe(24);
    expect(r.targetRows).toBe(24);
  });
  it('finds nothing in identical summaries', () => {
    expect(compareChunks([c(0, '1', '1')], [c(0, '1', '1')]).differing).toEqual([]);
  });
});

describe('compareUtf8', () => {
  it('orders like COLLATE "C" (bytes), not like JavaScript UTF-16 units', () => {
    expect(compareUtf8('B', 'a')).toBeLessThan(0);
    // U+FF5E (3 UTF-8 bytes EF BD 9E) sorts before U+1F600 (F0 …) in bytes, after it in UTF-16 units.
    expect(compareUtf8('\uff5e', '\u{1f600}')).toBeLessThan(0);
    expect('\uff5e' < '\u{1f600}').toBe(false);
  });
});

describe('reconcile', () => {
  const d = (sortKey: string, kind: RawDifference['kind'], h: string): RawDifference => ({
    sortKey,
    key: { id: sortKey },
    kind,
    ...(kind === 'missing_in_target' ? { sourceHash: h } : { targetHash: h }),
  });
  it('joins one key missing on each side: same hash = no difference, other hash = changed', () => {
    const out = reconcile([d('1', 'missing_in_target', 'x'), d('2', 'missing_in_target', 'y'), d('1', 'missing_in_source', 'x'), d('2', 'missing_in_source', 'z'), d('3', 'missing_in_source', 'q')]);
    expect(out.map((x) => `${x.sortKey}:${x.kind}`)).toEqual(['2:changed', '3:missing_in_source']);
  });
});
