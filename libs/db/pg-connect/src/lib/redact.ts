/**
 * Removes passwords from PostgreSQL connection strings so they can be logged or shown in errors.
 *
 * Handles URLs (`postgres://user:secret@host/db?password=secret`) and libpq key/value strings
 * (`host=h password=secret`). Anything that cannot be parsed is returned with every `password=` value masked.
 */
const MASK = '***';

export function redactUrl(url: string): string {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    try {
      const u = new URL(url);
      if (u.password) u.password = MASK;
      for (const key of [...u.searchParams.keys()]) {
        if (/^(password|sslpassword)$/i.test(key)) u.searchParams.set(key, MASK);
      }
      return u.toString();
    } catch {
      // Not a valid URL: fall through to the textual masking below (which also catches user:pass@).
      return url.replace(/(\/\/[^:/@]*:)[^@]*@/, `$1${MASK}@`).replace(/(password=)[^&\s]*/gi, `$1${MASK}`);
    }
  }
  return url.replace(/(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)/gi, `$1${MASK}`);
}

/** Host, port and database of a URL, without user or password (for messages and logs). */
export function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return redactUrl(url);
  }
}
