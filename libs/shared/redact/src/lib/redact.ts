/**
 * The one redaction function: every error message, usage error and log line that may carry a credential passes
 * through {@link redactSecrets} before it leaves the process.
 *
 * What it removes, in this order:
 *  1. every value registered with {@link registerSecret} (passwords read from the environment or Secrets Manager),
 *     also in its percent-encoded and JSON-escaped forms, wherever it appears;
 *  2. the password of any `scheme://user:password@…` URL, including malformed ones (`postgres://u:pw@[::1/b`) that a
 *     URL parser rejects — the text is treated as text, never parsed;
 *  3. the value of any password-like key: `PGPASSWORD=…`, libpq `password=…` (also single-quoted with escapes),
 *     URL query `?password=…&`, JSON `"password": "…"`, JSON-in-JSON `\"password\":\"…\"`, YAML `password: …`.
 *
 * The rules over-redact rather than under-redact: when the end of a value is ambiguous, more is masked.
 */
export const REDACTED = '***';

/** Keys whose value is a secret (matched case-insensitively as the end of a key: `PGPASSWORD`, `db_password`). */
const SECRET_KEY = String.raw`[A-Za-z0-9_.\-]*(?:password|passwd|passphrase|secret_?string|secret_?access_?key)`;

/**
 * `scheme://` then optional user, then `:` then the password up to the LAST `@` of the token. The strict form stops at
 * quotes (keeps compact JSON intact; backslash escapes are consumed); the loose form, for what is left, stops only
 * at whitespace (a password holding a bare quote).
 */
const URL_USERINFO_STRICT = /([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@'"`<>\\]*:)((?:[^\s'"`<>\\]|\\.)*)@/gi;
const URL_USERINFO_LOOSE = /([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@'"`<>\\]*:)(?!\*\*\*@)(\S*)@/gi;

const KEY_VALUE = new RegExp(
  // (1) what precedes the key: start, or a character that cannot be part of a key name
  String.raw`(^|[^A-Za-z0-9_.\-])` +
    // (2) the key with its optional opening quote: ", ', or the JSON-in-JSON \"
    String.raw`((\\?["']?)${SECRET_KEY}\3?)` +
    // (4) the separator
    String.raw`([ \t]*[=:][ \t]*)`,
  'gi',
);

const registered = new Set<string>();

/** The shortest value {@link registerSecret} accepts: shorter values would mask ordinary words everywhere. */
export const MIN_SECRET_LENGTH = 4;

/**
 * Registers a secret value (a password read from the environment, a Secrets Manager secret string) so that every
 * later {@link redactSecrets} call removes it wherever it appears, also percent-encoded or JSON-escaped.
 * Values shorter than {@link MIN_SECRET_LENGTH} characters are not registered (masking them would mask ordinary
 * text everywhere); the URL and key rules still apply to them. Never throws: it runs on error paths.
 * Returns a function that unregisters the value (a long-lived process dropping a rotated credential).
 */
export function registerSecret(value: string | undefined | null): () => void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return () => undefined;
  const forms = secretForms(value);
  const added = forms.filter((f) => !registered.has(f));
  for (const f of added) registered.add(f);
  return () => {
    for (const f of added) registered.delete(f);
  };
}

/** Forgets every registered secret (tests; a long-lived process that rotated its credentials). */
export function clearRegisteredSecrets(): void {
  registered.clear();
}

/** How many distinct textual forms are registered (for tests and diagnostics; never the values). */
export function registeredSecretCount(): number {
  return registered.size;
}

function secretForms(value: string): string[] {
  const forms = new Set<string>([value]);
  const add = (f: string): void => {
    if (f.length >= MIN_SECRET_LENGTH) forms.add(f);
  };
  add(encodeURIComponent(value));
  add(encodeURI(value));
  add(JSON.stringify(value).slice(1, -1));
  add(JSON.stringify(JSON.stringify(value).slice(1, -1)).slice(1, -1));
  add(value.replace(/\\/g, '\\\\').replace(/'/g, "\\'"));
  return [...forms];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function removeRegistered(text: string): string {
  if (registered.size === 0) return text;
  // Longest first, so a value is not partly masked by a shorter registered value it contains.
  const values = [...registered].sort((a, b) => b.length - a.length);
  return text.replace(new RegExp(values.map(escapeRegExp).join('|'), 'g'), REDACTED);
}

/** Index just past the value that starts at `start`, given the key's opening quote. */
function valueEnd(text: string, start: number, keyQuote: string, queryContext: boolean): number {
  const open = text[start];
  if (text.startsWith('\\"', start)) {
    // JSON inside a JSON string: the value ends at a `"` preceded by 4k+1 backslashes.
    for (let i = start + 2; i < text.length; i++) {
      if (text[i] !== '"') continue;
      let run = 0;
      while (text[i - 1 - run] === '\\') run++;
      if (run % 4 === 1) return i + 1;
    }
    return text.length;
  }
  if (open === '"' || open === "'") {
    for (let i = start + 1; i < text.length; i++) {
      if (text[i] === '\\') {
        i++;
        continue;
      }
      if (text[i] === open) return i + 1;
    }
    return text.length;
  }
  // Unquoted: up to whitespace; in a URL query also up to `&` or `#`; after a quoted key also up to its quote
  // pair's closing characters (`,` `}`), so JSON-like `{'password': abc, 'x': 1}` keeps its shape.
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) break;
    if (queryContext && (c === '&' || c === '#')) break;
    if (keyQuote && (c === ',' || c === '}')) break;
    i++;
  }
  return i;
}

/** True when the key at `keyStart` begins a mapping entry: only indentation (or a YAML `- `) before it on its line, or `{` / `,`. */
function startsMapping(text: string, keyStart: number): boolean {
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  const prefix = text.slice(lineStart, keyStart);
  return /^[ \t-]*$/.test(prefix) || /[{,]\s*$/.test(prefix);
}

function removeKeyValues(text: string): string {
  let out = '';
  let last = 0;
  KEY_VALUE.lastIndex = 0;
  for (let m = KEY_VALUE.exec(text); m; m = KEY_VALUE.exec(text)) {
    const [whole, before, key, quote, sep] = m;
    // A quoted key needs its closing quote: `"password": …`, not `"password …`.
    if (quote && !key.endsWith(quote.replace('\\', '')) ) continue;
    // `password: …` in prose ("password: must be set") is too common to mask; require a quoted key, `=`,
    // or a line/mapping position for the `:` form.
    if (sep.trim() === ':' && !quote && !startsMapping(text, m.index + before.length)) continue;
    const valueStart = m.index + whole.length;
    const queryContext = before === '?' || before === '&';
    const end = valueEnd(text, valueStart, quote, queryContext);
    if (end === valueStart) continue;
    const open = text[valueStart];
    let masked: string;
    if (text.startsWith('\\"', valueStart)) masked = `\\"${REDACTED}\\"`;
    else if (open === '"' || open === "'") masked = `${open}${REDACTED}${open}`;
    else masked = REDACTED;
    out += text.slice(last, valueStart) + masked;
    last = end;
    KEY_VALUE.lastIndex = Math.max(end, KEY_VALUE.lastIndex);
  }
  return out + text.slice(last);
}

/** Returns `text` with every credential it can recognise replaced by `***`. Safe on any string. */
export function redactSecrets(text: string): string {
  if (typeof text !== 'string') text = String(text);
  let out = removeRegistered(text);
  out = out.replace(URL_USERINFO_STRICT, `$1${REDACTED}@`).replace(URL_USERINFO_LOOSE, `$1${REDACTED}@`);
  out = removeKeyValues(out);
  return out;
}

/**
 * Redacts an error for display or logging: its message, its stack and every string property (`detail`, `hint`,
 * `query`, …), recursively through `cause` and `AggregateError.errors`. An `Error` is redacted in place (its class
 * and fields stay, so `instanceof` checks keep working) and returned; if it cannot be changed (frozen), or the value
 * thrown is not an Error, a new Error carrying the redacted text is returned.
 */
export function redactError(err: unknown): Error {
  return redactErrorInner(err, new Set());
}

function redactErrorInner(err: unknown, seen: Set<unknown>): Error {
  if (!(err instanceof Error)) {
    return new Error(redactSecrets(typeof err === 'string' ? err : safeString(err)));
  }
  if (seen.has(err)) return err;
  seen.add(err);
  try {
    for (const key of [...Object.getOwnPropertyNames(err), 'message', 'stack']) {
      const v = (err as unknown as Record<string, unknown>)[key];
      if (typeof v === 'string') {
        const r = redactSecrets(v);
        if (r !== v) Object.defineProperty(err, key, { value: r, writable: true, configurable: true, enumerable: key !== 'message' && key !== 'stack' && Object.prototype.propertyIsEnumerable.call(err, key) });
      }
    }
    const cause = (err as { cause?: unknown }).cause;
    if (cause !== undefined) {
      const r = redactErrorInner(cause, seen);
      if (r !== cause) Object.defineProperty(err, 'cause', { value: r, writable: true, configurable: true });
    }
    const errors = (err as { errors?: unknown }).errors;
    if (Array.isArray(errors)) errors.forEach((e, i) => (errors[i] = redactErrorInner(e, seen)));
    return err;
  } catch {
    const copy = new Error(redactSecrets(err.message));
    copy.name = err.name;
    copy.stack = redactSecrets(err.stack ?? '');
    return copy;
  }
}

/** The redacted one-line message of anything thrown. */
export function redactedMessage(err: unknown): string {
  return err instanceof Error ? redactSecrets(err.message) : redactSecrets(typeof err === 'string' ? err : safeString(err));
}

function safeString(v: unknown): string {
  try {
    return typeof v === 'object' && v !== null ? JSON.stringify(v) ?? String(v) : String(v);
  } catch {
    return String(v);
  }
}
