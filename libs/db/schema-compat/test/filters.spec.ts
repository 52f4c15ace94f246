/** Schema filters are checked against what exists on either side; what was compared is counted. */
import { checkSchemaFilters, comparedScope, type SchemaSnapshot } from '../src';

const snapshot = (existingSchemas: string[], relations: string[] = []) =>
  ({ existingSchemas, schemas: {}, relations: Object.fromEntries(relations.map((r) => [r, {}])), sequences: {}, types: {}, functions: {} }) as unknown as SchemaSnapshot;

describe('schema filters', () => {
  const blue = snapshot(['public', 'billing']);
  const green = snapshot(['public', 'billing', 'audit']);

  it('accept schemas that exist on either side', () => {
    expect(checkSchemaFilters({ schemas: ['public', 'audit'], excludeSchemas: ['billing'] }, blue, green)).toEqual([]);
  });

  it('name each schema that exists on neither side, with the closest existing name when one is close', () => {
    const problems = checkSchemaFilters({ schemas: ['pubic', 'zzzzzzzz'], excludeSchemas: ['biling'] }, blue, green);
    expect(problems).toEqual([
      'schema "pubic" (to compare) exists on neither blue nor green; did you mean "public"? (existing schemas: audit, billing, public)',
      'schema "zzzzzzzz" (to compare) exists on neither blue nor green (existing schemas: audit, billing, public)',
      'schema "biling" (to exclude) exists on neither blue nor green; did you mean "billing"? (existing schemas: audit, billing, public)',
    ]);
  });

  it('say that a system schema is never compared', () => {
    expect(checkSchemaFilters({ schemas: ['pg_catalog'] }, blue, green)).toEqual(['schema "pg_catalog" (to compare) is a system schema, which is never compared']);
  });

  it('count the distinct objects of both sides', () => {
    expect(comparedScope(snapshot([], ['public.a', 'public.b']), snapshot([], ['public.b', 'public.c']))).toEqual({ schemas: [], objects: 3 });
  });
});
