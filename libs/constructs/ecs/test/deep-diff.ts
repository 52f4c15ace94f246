/** Every path at which two JSON documents differ (`a.b.0.c`), deepest first-differing node only. */
export function deepDiff(a: unknown, b: unknown, path: string[] = []): string[] {
  if (a === b) return [];
  const bothObjects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object';
  if (!bothObjects || Array.isArray(a) !== Array.isArray(b)) return [path.join('.')];
  if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) return [path.join('.')];
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  return [...keys].flatMap((k) => deepDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...path, k]));
}
