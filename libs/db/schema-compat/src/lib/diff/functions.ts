/**
 * Functions and procedures: dropped, renamed, re-typed, changed, and how the old application's calls resolve on
 * green. Calls are modelled the way drivers send them: parameters without a type (node-postgres, most drivers:
 * the server sees `unknown`), string and NULL literals (also `unknown`), integer literals (`integer`), resolved
 * with PostgreSQL's rules for overloaded functions.
 */
import type { ArgumentType, FunctionObject, SchemaSnapshot } from '../model';
import { diffAcl } from './access';
import { keys, matchRenames, norm, type Changes, type DiffOptions } from './changes';
import { effectivePath } from './resolution';
import { defineRules } from './rule';

const KINDS = ['function', 'procedure', 'aggregate', 'window'];

export const FUNCTION_RULES = defineRules([
  {
    kinds: KINDS.map((k) => `${k}.dropped`),
    family: 'objects',
    change: 'function or procedure dropped (also: replaced by one with other argument types)',
    verdicts: { incompatible: 'calls of the old application fail with "function does not exist" (or resolve differently)' },
    hint: 'keep the old signature until the old version is gone (a wrapper that calls the new one)',
  },
  {
    kinds: KINDS.map((k) => `${k}.renamed`),
    family: 'objects',
    change: 'function renamed (same arguments and body under another name)',
    verdicts: { incompatible: 'calls of the old application fail' },
    hint: 'add instead of rename: keep the old name as a wrapper until the old version is gone',
  },
  { kinds: KINDS.map((k) => `${k}.added`), family: 'objects', change: 'function added', verdicts: { compatible: 'additive' } },
  {
    kinds: KINDS.map((k) => `${k}.overload_added`),
    family: 'name resolution',
    change: 'new overload of an existing function',
    verdicts: {
      compatible: 'calls of the old application (untyped parameters, string, NULL and integer literals) resolve as before',
      warning: 'the overloads involve VARIADIC or polymorphic arguments, whose resolution is not modelled',
    },
    hint: 'give the new function another name, or make it take a different number of arguments',
  },
  {
    kinds: ['function.call_ambiguous', 'function.call_resolves_elsewhere'],
    family: 'name resolution',
    change: 'a call of the old application resolves differently on green (new overloads, a function earlier in the search_path)',
    verdicts: { incompatible: 'calls fail with "function … is not unique", or silently run another function' },
    hint: 'give the new function another name (or another number of arguments); never overload with types a driver\'s untyped parameter can also reach',
    roleDependent: true,
  },
  {
    kinds: ['function.kind_changed'],
    family: 'objects',
    change: 'function became a procedure or the other way round',
    verdicts: { incompatible: 'SELECT/CALL of the old application fails' },
    hint: 'create the new kind under a new name',
  },
  {
    kinds: KINDS.map((k) => `${k}.return_type_changed`),
    family: 'columns and types',
    change: 'return type changed',
    verdicts: { incompatible: 'callers read a different shape' },
    hint: 'create a new function for the new return type; keep the old one until the old version is gone',
  },
  {
    kinds: KINDS.map((k) => `${k}.argument_default_dropped`),
    family: 'columns and types',
    change: 'argument defaults removed',
    verdicts: { incompatible: 'calls that omit those arguments fail' },
    hint: 'keep the defaults until the old version is gone',
  },
  {
    kinds: KINDS.map((k) => `${k}.argument_default_changed`),
    family: 'columns and types',
    change: 'argument defaults added or changed',
    verdicts: { compatible: 'defaults added', warning: 'defaults changed: calls that omit them pass other values' },
    hint: 'keep the defaults the old version relies on',
  },
  {
    kinds: KINDS.map((k) => `${k}.argument_names_changed`),
    family: 'columns and types',
    change: 'argument names changed',
    verdicts: { warning: 'calls using named notation break' },
    hint: 'keep argument names that callers may use in named notation',
  },
  {
    kinds: KINDS.map((k) => `${k}.body_changed`),
    family: 'write semantics',
    change: 'function body changed',
    verdicts: { warning: 'it may behave differently for the old application' },
    hint: 'keep behaviour the old version relies on; put new behaviour in a new function',
  },
  {
    kinds: KINDS.map((k) => `${k}.attributes_changed`),
    family: 'write semantics',
    change: 'volatility, strictness, security, settings or parallel safety changed',
    verdicts: { warning: 'results, NULL handling or privileges of calls change' },
    hint: 'change function attributes after the old version is gone',
  },
]);

// ---------------------------------------------------------------------------------------------- call resolution

type Input = 'unknown' | 'int4';
type Resolution = FunctionObject | 'ambiguous' | null;

const INT4_IMPLICIT = new Set(['pg_catalog.int4', 'pg_catalog.int8', 'pg_catalog.numeric', 'pg_catalog.float4', 'pg_catalog.float8', 'pg_catalog.oid']);

function coercible(input: Input, param: ArgumentType): boolean {
  return input === 'unknown' || INT4_IMPLICIT.has(param.name);
}

function accepts(f: FunctionObject, count: number): boolean {
  return f.argTypes.length === count || (f.argTypes.length > count && f.argTypes.length - f.argDefaults <= count);
}

/** PostgreSQL's choice among overloaded candidates (func_select_candidate), for unknown and integer inputs. */
export function selectCandidate(candidates: readonly FunctionObject[], inputs: readonly Input[]): Resolution {
  let c = candidates.filter((f) => inputs.every((input, i) => coercible(input, f.argTypes[i])));
  if (c.length <= 1) return c[0] ?? null;
  const exact = (f: FunctionObject) => inputs.filter((input, i) => input === 'int4' && f.argTypes[i].name === 'pg_catalog.int4').length;
  const best = Math.max(...c.map(exact));
  c = c.filter((f) => exact(f) === best);
  if (c.length === 1) return c[0];
  const preferred = (f: FunctionObject) => inputs.filter((input, i) => input === 'int4' && f.argTypes[i].name !== 'pg_catalog.int4' && f.argTypes[i].category === 'N' && f.argTypes[i].preferred).length;
  const bestPreferred = Math.max(...c.map(preferred));
  c = c.filter((f) => preferred(f) === bestPreferred);
  if (c.length === 1) return c[0];
  for (let i = 0; i < inputs.length; i++) {
    if (inputs[i] !== 'unknown') continue;
    const categories = new Set(c.map((f) => f.argTypes[i].category));
    const chosen = categories.has('S') ? 'S' : categories.size === 1 ? [...categories][0] : null;
    if (chosen === null) return 'ambiguous';
    c = c.filter((f) => f.argTypes[i].category === chosen);
    if (c.some((f) => f.argTypes[i].preferred)) c = c.filter((f) => f.argTypes[i].preferred);
  }
  return c.length === 1 ? c[0] : 'ambiguous';
}

const CALLABLE = (kind: FunctionObject['kind'], f: FunctionObject) => (kind === 'procedure') === (f.kind === 'procedure');

const NAME_INDEX = new WeakMap<SchemaSnapshot, Map<string, FunctionObject[]>>();

/** Functions by bare name (every schema), built once per snapshot. */
function named(s: SchemaSnapshot, name: string): FunctionObject[] {
  let index = NAME_INDEX.get(s);
  if (!index) {
    index = new Map();
    for (const f of Object.values(s.functions)) index.set(f.name, [...(index.get(f.name) ?? []), f]);
    NAME_INDEX.set(s, index);
  }
  return index.get(name) ?? [];
}

/** Candidates of an unqualified (path) or qualified (one schema) call; a signature earlier in the path hides later ones. */
function candidates(s: SchemaSnapshot, name: string, kind: FunctionObject['kind'], schemas: readonly string[], count: number): FunctionObject[] {
  const seen = new Set<string>();
  const out: FunctionObject[] = [];
  const byName = named(s, name).filter((f) => CALLABLE(kind, f) && accepts(f, count));
  for (const schema of schemas) {
    for (const f of byName.filter((x) => x.schema === schema)) {
      const sig = f.argTypes.map((a) => a.name).join(',');
      if (seen.has(sig)) continue;
      seen.add(sig);
      out.push(f);
    }
  }
  return out;
}

const UNMODELLED = (f: FunctionObject) => f.variadic || f.argTypes.some((a) => a.category === 'P');

interface Shape {
  readonly inputs: Input[];
  readonly label: string;
}

/** The call shapes the old application can use to reach f: untyped parameters, and integer literals where f takes numbers. */
function shapes(f: FunctionObject): Shape[] {
  const out: Shape[] = [];
  for (let k = f.argTypes.length - f.argDefaults; k <= f.argTypes.length; k++) {
    const untyped = Array<Input>(k).fill('unknown');
    out.push({ inputs: untyped, label: `${f.schema}.${f.name}(${untyped.map(() => '$n').join(', ')}) with untyped parameters (or string/NULL literals)` });
    if (k > 0 && f.argTypes.slice(0, k).every((a) => a.category === 'N')) {
      out.push({ inputs: Array<Input>(k).fill('int4'), label: `${f.schema}.${f.name}(${Array(k).fill('1').join(', ')}) with integer literals` });
    }
  }
  return out;
}

function diffCallResolution(blue: SchemaSnapshot, green: SchemaSnapshot, out: Changes, options: DiffOptions): Set<string> {
  const changedNames = new Set<string>();
  const bp = effectivePath(blue, options).schemas;
  const gp = effectivePath(green, options).schemas;
  const samePath = bp.join() === gp.join();
  const sameSet = (name: string) => named(blue, name).map((x) => x.qualifiedName).sort().join() === named(green, name).map((x) => x.qualifiedName).sort().join();
  for (const f of Object.values(blue.functions)) {
    if (!(f.qualifiedName in green.functions)) continue; // dropped: reported as such
    if (samePath && sameSet(f.name)) continue; // same candidates, same path: every call resolves as before
    if ([...named(blue, f.name), ...named(green, f.name)].some(UNMODELLED)) continue;
    const problems: string[] = [];
    let ambiguous = false;
    for (const shape of shapes(f)) {
      const ways: Array<[string, readonly string[], readonly string[]]> = [[`${f.schema}.${f.name}`, [f.schema], [f.schema]]];
      if (bp.includes(f.schema)) ways.push([f.name, bp, gp]);
      for (const [call, bSchemas, gSchemas] of ways) {
        const before = selectCandidate(candidates(blue, f.name, f.kind, bSchemas, shape.inputs.length), shape.inputs);
        if (before === null || before === 'ambiguous' || before.qualifiedName !== f.qualifiedName) continue; // this call never reached f
        const after = selectCandidate(candidates(green, f.name, f.kind, gSchemas, shape.inputs.length), shape.inputs);
        if (after !== null && after !== 'ambiguous' && after.qualifiedName === f.qualifiedName) continue;
        const text = shape.label.replace(`${f.schema}.${f.name}(`, `${call}(`);
        if (after === 'ambiguous') {
          ambiguous = true;
          problems.push(`${text} is no longer unique on green ("function ${call}(${shape.inputs.join(', ')}) is not unique")`);
        } else if (after) {
          problems.push(`${text} now runs ${after.qualifiedName}`);
        }
      }
    }
    if (problems.length === 0) continue;
    changedNames.add(`${f.schema}.${f.name}`);
    out.add(ambiguous ? 'function.call_ambiguous' : 'function.call_resolves_elsewhere', f.qualifiedName, 'incompatible', `calls of the old application that reached ${f.qualifiedName} resolve differently: ${[...new Set(problems)].join('; ')}`);
  }
  return changedNames;
}

// ---------------------------------------------------------------------------------------------- functions

export function diffFunctions(blue: SchemaSnapshot, green: SchemaSnapshot, out: Changes, options: DiffOptions): void {
  const k = keys(blue.functions, green.functions);
  const sig = (f: FunctionObject) => `${f.schema}|${f.kind}|${f.identityArguments}|${f.result}|${norm(f.body)}`;
  const renames = matchRenames(k.onlyBlue, k.onlyGreen, (key, side) => sig((side === 'blue' ? blue : green).functions[key]));
  for (const [from, to] of renames) out.add(`${blue.functions[from].kind}.renamed`, from, 'incompatible', `${blue.functions[from].kind} ${from} was renamed to ${to}: calls of the old application fail`);
  const byName = (s: SchemaSnapshot) => {
    const m = new Map<string, FunctionObject[]>();
    for (const f of Object.values(s.functions)) m.set(`${f.schema}.${f.name}`, [...(m.get(`${f.schema}.${f.name}`) ?? []), f]);
    return m;
  };
  const blueByName = byName(blue);
  const greenByName = byName(green);
  const dropped = k.onlyBlue.filter((x) => !renames.some((r) => r[0] === x));
  const added = k.onlyGreen.filter((x) => !renames.some((r) => r[1] === x));
  for (const key of dropped) {
    const f = blue.functions[key];
    const replacements = (greenByName.get(`${f.schema}.${f.name}`) ?? []).filter((x) => !(x.qualifiedName in blue.functions));
    const detail = replacements.length > 0
      ? `${f.kind} ${key} was replaced by ${replacements.map((x) => x.qualifiedName).join(', ')}: calls with the old argument types may fail or resolve differently`
      : `${f.kind} ${key} was dropped: calls of the old application fail with "function does not exist"`;
    out.add(`${f.kind}.dropped`, key, 'incompatible', detail);
  }
  const changedCalls = diffCallResolution(blue, green, out, options);
  for (const key of added) {
    const f = green.functions[key];
    const existing = (blueByName.get(`${f.schema}.${f.name}`) ?? []).filter((x) => x.qualifiedName in green.functions);
    if (existing.length === 0) {
      out.add(`${f.kind}.added`, key, 'compatible', `new ${f.kind} ${key}`);
    } else if ([f, ...existing].some(UNMODELLED)) {
      out.add(`${f.kind}.overload_added`, key, 'warning', `new overload ${key} of existing ${f.kind} ${f.schema}.${f.name}: VARIADIC or polymorphic arguments are involved, so which calls now reach it is not judged`);
    } else if (changedCalls.has(`${f.schema}.${f.name}`)) {
      out.add(`${f.kind}.overload_added`, key, 'compatible', `new overload ${key} of existing ${f.kind} ${f.schema}.${f.name} (the calls it takes over are reported on the existing ${f.kind})`);
    } else {
      out.add(`${f.kind}.overload_added`, key, 'compatible', `new overload ${key} of existing ${f.kind} ${f.schema}.${f.name}: calls of the old application (untyped parameters, string, NULL and integer literals) resolve as before`);
    }
  }
  for (const key of k.both) {
    const b = blue.functions[key];
    const g = green.functions[key];
    if (b.kind !== g.kind) {
      out.add('function.kind_changed', key, 'incompatible', `${key} changed from ${b.kind} to ${g.kind}: SELECT/CALL of the old application fails`);
      continue;
    }
    if (b.result !== g.result) out.add(`${g.kind}.return_type_changed`, key, 'incompatible', `return type of ${key} changed from ${b.result} to ${g.result}: callers read a different shape`);
    if (b.arguments !== g.arguments) {
      const noDefaults = (a: string) => a.replace(/\s+DEFAULT\s+[^,]+/g, '');
      const defaults = (a: string) => (a.match(/\sDEFAULT\s/g) ?? []).length;
      if (noDefaults(b.arguments) === noDefaults(g.arguments)) {
        if (defaults(g.arguments) < defaults(b.arguments)) out.add(`${g.kind}.argument_default_dropped`, key, 'incompatible', `argument defaults of ${key} removed (${b.arguments} -> ${g.arguments}): calls that omit those arguments fail`);
        else out.add(`${g.kind}.argument_default_changed`, key, defaults(g.arguments) > defaults(b.arguments) ? 'compatible' : 'warning', `argument defaults of ${key} changed (${b.arguments} -> ${g.arguments})`);
      } else {
        out.add(`${g.kind}.argument_names_changed`, key, 'warning', `argument names of ${key} changed (${b.arguments} -> ${g.arguments}): calls using named notation break`);
      }
    }
    if (norm(b.body) !== norm(g.body) || b.language !== g.language) out.add(`${g.kind}.body_changed`, key, 'warning', `body of ${g.kind} ${key} changed: it may behave differently for the old application`);
    const attrs: string[] = [];
    if (b.volatility !== g.volatility) attrs.push(`volatility ${b.volatility} -> ${g.volatility}`);
    if (b.strict !== g.strict) attrs.push(g.strict ? 'now STRICT (returns NULL for NULL input)' : 'no longer STRICT');
    if (b.securityDefiner !== g.securityDefiner) attrs.push(g.securityDefiner ? 'now SECURITY DEFINER' : 'now SECURITY INVOKER');
    if (b.config.join() !== g.config.join()) attrs.push(`settings ${b.config.join(' ') || 'none'} -> ${g.config.join(' ') || 'none'}`);
    if (b.parallel !== g.parallel) attrs.push(`parallel safety ${b.parallel} -> ${g.parallel}`);
    if (attrs.length > 0) out.add(`${g.kind}.attributes_changed`, key, 'warning', `${key}: ${attrs.join('; ')}`);
    diffAcl(key, `${g.kind} ${key}`, b.acl, g.acl, out, options);
  }
}
