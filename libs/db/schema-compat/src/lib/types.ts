/**
 * Is a column (or domain, or composite attribute) type change safe for an application written for the old type?
 * "Safe" means every value the old application writes still fits, and what it reads still parses the same way.
 */
export type Compatibility = 'compatible' | 'incompatible' | 'warning';

export interface TypeRef {
  /** `format_type` output: `character varying(20)`, `numeric(10,2)`, `integer[]`. */
  readonly type: string;
  /** pg_type.typname: `varchar`, `int4`, `_int4` for arrays. */
  readonly typeName: string;
  readonly typeSchema: string;
  readonly typmod: number;
}

export interface TypeVerdict {
  readonly compatibility: Compatibility;
  readonly reason: string;
}

/** Integer-ish widening order; a type may widen to any type after it in its chain. */
const WIDENING: Readonly<Record<string, readonly string[]>> = {
  int2: ['int4', 'int8', 'numeric', 'float4', 'float8'],
  int4: ['int8', 'numeric', 'float8'],
  int8: ['numeric'],
  float4: ['float8'],
  varchar: ['text'],
  bpchar: ['text', 'varchar'],
  text: ['varchar'],
  bit: ['varbit'],
  cidr: ['inet'],
};

const LENGTH_TYPES = new Set(['varchar', 'bpchar', 'bit', 'varbit']);
const PRECISION_TYPES = new Set(['timestamp', 'timestamptz', 'time', 'timetz', 'interval']);

function length(t: TypeRef): number {
  return t.typmod < 0 ? Infinity : t.typmod - (t.typeName === 'bit' || t.typeName === 'varbit' ? 0 : 4);
}

function numericParts(t: TypeRef): { precision: number; scale: number } | null {
  if (t.typmod < 0) return null;
  const m = t.typmod - 4;
  return { precision: (m >> 16) & 0xffff, scale: m & 0xffff };
}

function base(t: TypeRef): string {
  return t.typeName.startsWith('_') ? t.typeName.slice(1) : t.typeName;
}

export function compareTypes(blue: TypeRef, green: TypeRef): TypeVerdict | null {
  if (blue.type === green.type) return null;
  const from = `${blue.type} to ${green.type}`;
  const blueArray = blue.typeName.startsWith('_');
  const greenArray = green.typeName.startsWith('_');
  if (blueArray !== greenArray) {
    return { compatibility: 'incompatible', reason: `type changed from ${from}: array and scalar values are not interchangeable` };
  }
  const b = base(blue);
  const g = base(green);
  if (b === g && blue.typeSchema === green.typeSchema) {
    if (LENGTH_TYPES.has(b)) {
      const bl = length(blue);
      const gl = length(green);
      if (b === 'bpchar') {
        // char(n) values are stored and returned blank-padded to n: another n changes every value the old application reads
        return gl > bl
          ? { compatibility: 'incompatible', reason: `type changed from ${from}: every value the old application reads back is now blank-padded to ${gl} characters instead of ${bl}` }
          : { compatibility: 'incompatible', reason: `type narrowed from ${from}: values longer than ${gl} that the old application may write are rejected, and values read back are padded to ${gl} characters` };
      }
      if (gl >= bl) return { compatibility: 'compatible', reason: `type widened from ${from}: every value the old application writes still fits` };
      return { compatibility: 'incompatible', reason: `type narrowed from ${from}: values longer than ${gl} that the old application may write are rejected` };
    }
    if (b === 'numeric') {
      const bp = numericParts(blue);
      const gp = numericParts(green);
      if (!gp) return { compatibility: 'compatible', reason: `type widened from ${from}: unconstrained numeric accepts every value` };
      if (bp && gp.scale >= bp.scale && gp.precision - gp.scale >= bp.precision - bp.scale) {
        return { compatibility: 'compatible', reason: `type widened from ${from}: every value the old application writes still fits` };
      }
      return { compatibility: 'incompatible', reason: `type narrowed from ${from}: values may overflow or be rounded` };
    }
    if (PRECISION_TYPES.has(b)) {
      const bp = blue.typmod < 0 ? 6 : blue.typmod;
      const gp = green.typmod < 0 ? 6 : green.typmod;
      return gp >= bp
        ? { compatibility: 'compatible', reason: `precision raised from ${from}` }
        : { compatibility: 'incompatible', reason: `precision lowered from ${from}: values the old application writes are rounded` };
    }
    return { compatibility: 'warning', reason: `type modifier changed from ${from}` };
  }
  if (WIDENING[b]?.includes(g) && blue.typeSchema === 'pg_catalog' && green.typeSchema === 'pg_catalog') {
    if (b === 'bpchar') {
      return { compatibility: 'incompatible', reason: `type changed from ${from}: values read back lose the blank padding the old application got, and trailing blanks become significant in comparisons` };
    }
    if (g === 'varchar' && green.typmod >= 0) {
      // text -> varchar(n) is a narrowing.
      return { compatibility: 'incompatible', reason: `type narrowed from ${from}: values longer than ${length(green)} are rejected` };
    }
    const driverNote = (g === 'int8' || g === 'numeric') && b !== 'int8' ? ' (drivers that return bigint and numeric as strings, such as node-postgres, hand the old application a string instead of a number)' : '';
    return { compatibility: 'compatible', reason: `type widened from ${from}: every value the old application writes still fits${driverNote}` };
  }
  if (b === 'date' && (g === 'timestamp' || g === 'timestamptz')) {
    return { compatibility: 'warning', reason: `type changed from ${from}: every date still fits, but values read back carry a time of day${g === 'timestamptz' ? ' and a time zone' : ''}, which changes how clients parse them` };
  }
  if (b === 'numeric' && (g === 'float4' || g === 'float8')) {
    return { compatibility: 'incompatible', reason: `type changed from ${from}: floating point is inexact, so values the old application writes (money, identifiers) are rounded and equality on them fails` };
  }
  if (b === 'timestamptz' && g === 'timestamp') {
    return { compatibility: 'incompatible', reason: `type changed from ${from}: time zone offsets the old application sends are silently dropped, so the same input stores another instant` };
  }
  if (b === 'timestamp' && g === 'timestamptz') {
    return { compatibility: 'warning', reason: `type changed from ${from}: values are now interpreted in the session time zone` };
  }
  if (b === 'json' && g === 'jsonb') {
    return { compatibility: 'warning', reason: `type changed from ${from}: key order, duplicate keys and whitespace are no longer preserved` };
  }
  return { compatibility: 'incompatible', reason: `type changed from ${from}: values, casts and client parsing of the old application may fail` };
}

const SEQUENCE_TYPE_ORDER = ['smallint', 'integer', 'bigint'];

export interface SequenceDifference {
  readonly compatibility: Compatibility;
  readonly reason: string;
}

/** Compares sequence (or identity) options; one entry per changed option. */
export function compareSequenceOptions(
  blue: { type: string; start: string; increment: string; min: string; max: string; cache: string; cycle: boolean },
  green: { type: string; start: string; increment: string; min: string; max: string; cache: string; cycle: boolean },
): SequenceDifference[] {
  const out: SequenceDifference[] = [];
  if (blue.type !== green.type) {
    const wider = SEQUENCE_TYPE_ORDER.indexOf(green.type) > SEQUENCE_TYPE_ORDER.indexOf(blue.type);
    out.push(wider ? { compatibility: 'compatible', reason: `type widened from ${blue.type} to ${green.type}` } : { compatibility: 'warning', reason: `type narrowed from ${blue.type} to ${green.type}: nextval() fails once the sequence passes the smaller maximum` });
  }
  const big = (s: string) => BigInt(s);
  if (blue.max !== green.max) {
    out.push(big(green.max) > big(blue.max) ? { compatibility: 'compatible', reason: `MAXVALUE raised from ${blue.max} to ${green.max}` } : { compatibility: 'warning', reason: `MAXVALUE lowered from ${blue.max} to ${green.max}: nextval() may fail sooner` });
  }
  if (blue.min !== green.min) {
    out.push(big(green.min) < big(blue.min) ? { compatibility: 'compatible', reason: `MINVALUE lowered from ${blue.min} to ${green.min}` } : { compatibility: 'warning', reason: `MINVALUE raised from ${blue.min} to ${green.min}: the range of values is narrower` });
  }
  if (blue.increment !== green.increment) out.push({ compatibility: 'warning', reason: `INCREMENT changed from ${blue.increment} to ${green.increment}: generated values follow a different pattern` });
  if (blue.cycle !== green.cycle) {
    out.push(green.cycle ? { compatibility: 'warning', reason: 'now CYCLE: values repeat after the limit (unique keys may collide)' } : { compatibility: 'warning', reason: 'now NO CYCLE: nextval() fails at the limit instead of wrapping around' });
  }
  if (blue.start !== green.start) out.push({ compatibility: 'compatible', reason: `START changed from ${blue.start} to ${green.start}` });
  if (blue.cache !== green.cache) out.push({ compatibility: 'compatible', reason: `CACHE changed from ${blue.cache} to ${green.cache}` });
  return out;
}
