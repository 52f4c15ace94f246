/**
 * A database URL from discrete environment variables, as an ECS task gets them (`secrets` inject the JSON keys of
 * a Secrets Manager secret one by one): `<PREFIX>_HOST`, `_PORT`, `_USER`, `_PASSWORD`, `_DATABASE`, and optionally
 * `_SSLMODE` and `_SSLROOTCERT`. The password is percent-encoded into the URL, never printed.
 */
import { VerifyInputError } from './errors';

export function urlFromEnvironment(prefix: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const get = (k: string) => env[`${prefix}_${k}`];
  const host = get('HOST');
  if (host === undefined) return undefined;
  const missing = ['PORT', 'USER', 'PASSWORD', 'DATABASE'].filter((k) => !get(k));
  if (missing.length > 0) throw new VerifyInputError(`${prefix}_HOST is set but ${missing.map((k) => `${prefix}_${k}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not`);
  const port = get('PORT') as string;
  if (!/^\d{1,5}$/.test(port)) throw new VerifyInputError(`${prefix}_PORT must be a port number, got ${JSON.stringify(port)}`);
  const url = new URL(`postgres://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`);
  url.username = encodeURIComponent(get('USER') as string);
  url.password = encodeURIComponent(get('PASSWORD') as string);
  url.pathname = `/${encodeURIComponent(get('DATABASE') as string)}`;
  const sslmode = get('SSLMODE');
  if (sslmode) url.searchParams.set('sslmode', sslmode);
  const root = get('SSLROOTCERT');
  if (root) url.searchParams.set('sslrootcert', root);
  return url.toString();
}
