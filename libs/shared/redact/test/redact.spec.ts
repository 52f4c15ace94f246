import { clearRegisteredSecrets, REDACTED, redactedMessage, redactError, redactSecrets, registeredSecretCount, registerSecret } from '../src';

const PW = 'S3cr3t-Pa55';

afterEach(() => clearRegisteredSecrets());

describe('redactSecrets: URLs', () => {
  it.each([
    ['well-formed', `postgres://app:${PW}@db.example.com:5432/orders`, 'postgres://app:***@db.example.com:5432/orders'],
    ['postgresql scheme', `postgresql://app:${PW}@h/db`, 'postgresql://app:***@h/db'],
    ['malformed IPv6 host', `postgres://u:${PW}@[::1/b`, 'postgres://u:***@[::1/b'],
    ['empty user', `postgres://:${PW}@h/db`, 'postgres://:***@h/db'],
    ['password holding @', `postgres://u:p@ss${PW}@h/db`, 'postgres://u:***@h/db'],
    ['password holding : and /', `postgres://u:a:b/c${PW}@h/db`, 'postgres://u:***@h/db'],
    ['percent-encoded password', `postgres://u:${encodeURIComponent('p@ss/word')}@h/db`, 'postgres://u:***@h/db'],
    ['any scheme', `mysql://root:${PW}@h`, 'mysql://root:***@h'],
    ['upper-case scheme', `POSTGRES://u:${PW}@h`, 'POSTGRES://u:***@h'],
    ['password query parameter', `postgres://h/db?sslmode=require&password=${PW}&application_name=x`, 'postgres://h/db?sslmode=require&password=***&application_name=x'],
    ['sslpassword query parameter', `postgres://h/db?sslpassword=${PW}`, 'postgres://h/db?sslpassword=***'],
  ])('%s', (_name, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('redacts every URL in a longer message and keeps the rest', () => {
    const msg = `invalid --green "postgres://u:${PW}@[::1/b": expected a URL; blue was postgres://v:${PW}x@h/db.`;
    const out = redactSecrets(msg);
    expect(out).not.toContain(PW);
    expect(out).toBe('invalid --green "postgres://u:***@[::1/b": expected a URL; blue was postgres://v:***@h/db.');
  });

  it('keeps compact JSON intact around a URL', () => {
    const json = JSON.stringify({ url: `postgres://u:${PW}@h/db`, owner: 'ops@example.com' });
    const out = redactSecrets(json);
    expect(out).not.toContain(PW);
    expect(JSON.parse(out)).toEqual({ url: 'postgres://u:***@h/db', owner: 'ops@example.com' });
  });

  it('a password holding quotes inside JSON', () => {
    const pw = `a"b'c${PW}`;
    const json = JSON.stringify({ url: `postgres://u:${pw}@h/db` });
    const out = redactSecrets(json);
    expect(out).not.toContain(PW);
    expect(JSON.parse(out)).toEqual({ url: 'postgres://u:***@h/db' });
  });

  it('a password holding a bare quote in text', () => {
    const out = redactSecrets(`cannot connect to postgres://u:it's${PW}@h/db`);
    expect(out).not.toContain(PW);
    expect(out).toBe('cannot connect to postgres://u:***@h/db');
  });

  it('leaves URLs without a password alone', () => {
    for (const s of ['postgres://u@h/db', 'https://example.com/a?b=c', 'see https://docs.example.com:443/x']) {
      expect(redactSecrets(s)).toBe(s);
    }
  });
});

describe('redactSecrets: key = value forms', () => {
  it.each([
    ['PGPASSWORD env', `PGPASSWORD=${PW} psql -h h`, 'PGPASSWORD=*** psql -h h'],
    ['exported, double-quoted', `export PGPASSWORD="${PW} with space"`, 'export PGPASSWORD="***"'],
    ['prefixed env name', `DB_PASSWORD=${PW}`, 'DB_PASSWORD=***'],
    ['libpq conninfo', `host=h port=5432 password=${PW} dbname=d`, 'host=h port=5432 password=*** dbname=d'],
    ['libpq spaces around =', `host=h password = ${PW} dbname=d`, 'host=h password = *** dbname=d'],
    ['libpq single-quoted with escapes', `host=h password='it\\'s ${PW}' dbname=d`, "host=h password='***' dbname=d"],
    ['JSON', `{"username":"app","password":"${PW}","host":"h"}`, '{"username":"app","password":"***","host":"h"}'],
    ['JSON with spaces and escapes', `{ "password" : "a\\"b${PW}" }`, '{ "password" : "***" }'],
    ['JSON key in any case', `{"Password":"${PW}"}`, '{"Password":"***"}'],
    ['JSON-in-JSON (Secrets Manager SecretString)', JSON.stringify({ SecretString: `{"password":"${PW}"}` }), '{"SecretString":"***"}'],
    ['YAML', `database:\n  password: ${PW}\n  host: h`, 'database:\n  password: ***\n  host: h'],
    ['YAML list item', `- password: ${PW}`, '- password: ***'],
    ['passwd and passphrase', `passwd=${PW} passphrase=${PW}`, 'passwd=*** passphrase=***'],
    ['AWS secret key', `aws_secret_access_key=${PW}`, 'aws_secret_access_key=***'],
  ])('%s', (_name, input, expected) => {
    const out = redactSecrets(input);
    expect(out).toBe(expected);
    expect(out).not.toContain(PW);
  });

  it('JSON-in-JSON keeps the outer document valid when only the password is a key', () => {
    const inner = JSON.stringify({ username: 'app', password: `q"\\${PW}`, host: 'h' });
    const outer = JSON.stringify({ message: inner });
    const out = redactSecrets(outer);
    expect(out).not.toContain(PW);
    const parsed = JSON.parse(out) as { message: string };
    expect(JSON.parse(parsed.message)).toEqual({ username: 'app', password: REDACTED, host: 'h' });
  });

  it('does not mask prose that merely mentions a password', () => {
    for (const s of [
      'password authentication failed for user "app"',
      'Setting database.password: must be set',
      'the password is read from Secrets Manager',
      'passed: 3 tests',
    ]) {
      expect(redactSecrets(s)).toBe(s);
    }
  });

  it('an empty value at the end of a line stays empty (the next line is not taken for it)', () => {
    expect(redactSecrets('PGPASSWORD=\nhost=h')).toBe('PGPASSWORD=\nhost=h');
    // `password = x` is valid libpq, so a space after `=` still introduces the value: masked, never shown.
    expect(redactSecrets('PGPASSWORD= psql')).toBe('PGPASSWORD= ***');
  });
});

describe('registerSecret', () => {
  it('removes a registered value wherever it appears, in raw, percent-encoded and JSON-escaped forms', () => {
    const pw = 'p@ss/"wörd"\\x';
    registerSecret(pw);
    const texts = [
      `connecting with ${pw} failed`,
      `the token ${encodeURIComponent(pw)} leaked`,
      JSON.stringify({ anything: pw }),
      JSON.stringify({ nested: JSON.stringify({ anything: pw }) }),
      `${pw}${pw}`,
    ];
    for (const t of texts) {
      const out = redactSecrets(t);
      expect(out).not.toContain(pw);
      expect(out).not.toContain(encodeURIComponent(pw));
      expect(out).toContain(REDACTED);
    }
  });

  it('the longest registered value wins when one contains another', () => {
    registerSecret('abcd');
    registerSecret('abcdefgh');
    expect(redactSecrets('x abcdefgh y')).toBe('x *** y');
  });

  it('treats regular-expression characters literally', () => {
    registerSecret('a.*b(c)[d]$');
    expect(redactSecrets('zz a.*b(c)[d]$ zz axxb(c)[d]$')).toBe('zz *** zz axxb(c)[d]$');
  });

  it('ignores empty values and values too short to mask without masking ordinary text, without throwing', () => {
    expect(registeredSecretCount()).toBe(0);
    registerSecret('');
    registerSecret(undefined);
    registerSecret('abc');
    expect(registeredSecretCount()).toBe(0);
    expect(redactSecrets('abc PGPASSWORD=abc')).toBe('abc PGPASSWORD=***');
  });

  it('the returned function unregisters the value', () => {
    const off = registerSecret('hunter22');
    expect(redactSecrets('hunter22')).toBe(REDACTED);
    off();
    expect(redactSecrets('hunter22')).toBe('hunter22');
  });
});

describe('redactError', () => {
  it('redacts message, stack and string fields in place, keeping the class', () => {
    class DriverError extends Error {
      detail = `conninfo host=h password=${PW}`;
      code = 'XX000';
    }
    const err = new DriverError(`cannot connect to postgres://u:${PW}@h/db`);
    const out = redactError(err);
    expect(out).toBe(err);
    expect(out).toBeInstanceOf(DriverError);
    expect(out.message).toBe('cannot connect to postgres://u:***@h/db');
    expect(out.stack).not.toContain(PW);
    expect((out as DriverError).detail).toBe('conninfo host=h password=***');
    expect((out as DriverError).code).toBe('XX000');
    expect(Object.keys(out)).toEqual(['detail', 'code']);
  });

  it('walks cause chains and AggregateError members, surviving cycles', () => {
    const inner = new Error(`PGPASSWORD=${PW}`);
    const agg = new AggregateError([new Error(`postgres://u:${PW}@a/b`), 'plain postgres://x:' + PW + '@c'], 'several', { cause: inner });
    (inner as { cause?: unknown }).cause = agg;
    const out = redactError(agg) as AggregateError;
    const all = JSON.stringify([out.message, out.stack, inner.message, inner.stack, out.errors.map((e: Error) => [e.message, e.stack])]);
    expect(all).not.toContain(PW);
  });

  it('wraps non-Error throwables', () => {
    expect(redactError(`postgres://u:${PW}@h`).message).toBe('postgres://u:***@h');
    expect(redactError({ password: PW }).message).toBe('{"password":"***"}');
    expect(redactError(undefined).message).toBe('undefined');
  });

  it('a frozen error is copied, not thrown on', () => {
    const err = Object.freeze(new Error(`postgres://u:${PW}@h`));
    const out = redactError(err);
    expect(out.message).toBe('postgres://u:***@h');
    expect(out.stack).not.toContain(PW);
  });

  it('uses registered secrets too', () => {
    registerSecret(PW);
    const err = new Error(`server said: ${PW} is wrong`);
    expect(redactError(err).message).toBe('server said: *** is wrong');
    expect(redactedMessage(new Error(`x ${PW}`))).toBe('x ***');
  });
});

describe('hostile inputs', () => {
  it('stays linear on long adversarial strings', () => {
    const pathological = [
      'postgres://' + 'a:'.repeat(20000),
      'password='.repeat(20000),
      '"password":"' + '\\'.repeat(40000),
      'x://:' + '@'.repeat(40000),
      '\\"password\\":\\"' + '\\\\'.repeat(20000),
    ];
    for (const s of pathological) {
      const t0 = Date.now();
      redactSecrets(s);
      // Generous bound: a quadratic or exponential regular expression takes minutes on these.
      expect(Date.now() - t0).toBeLessThan(5000);
    }
  });

  it('never returns the password for a fuzzed family of URL shapes', () => {
    const hosts = ['h', '[::1', '[::1]:5432', 'h:notaport', '', 'h/db?x=1', 'h/db#frag'];
    const pws = [PW, `${PW}@`, `@${PW}`, `${PW}:x`, `${PW}'`, `${PW}"`.replace('"', '%22'), `${PW}/x`, `x?${PW}`, `${PW}#x`];
    for (const h of hosts) {
      for (const p of pws) {
        const url = `postgres://u:${p}@${h}`;
        expect(redactSecrets(url)).not.toContain(PW);
        expect(redactSecrets(`error: ${url}, retrying`)).not.toContain(PW);
      }
    }
  });

  it('accepts non-strings without throwing', () => {
    expect(redactSecrets(42 as unknown as string)).toBe('42');
  });
});
