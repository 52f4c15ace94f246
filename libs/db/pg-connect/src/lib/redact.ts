import { redactSecrets } from '@bluegreen/redact';

/** Host, port and database of a URL, without user or password (for messages and logs). */
export function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return redactSecrets(url);
  }
}
