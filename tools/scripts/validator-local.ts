/**
 * Runs the schema-validator Lambda's handler on this machine against two database URLs: the same code the function
 * runs (the esbuild bundle in dist/apps/schema-validator, `npm run build:validator`), with its Secrets Manager reads
 * answered from the URLs instead of AWS. Prints the function's JSON answer; exit 0 compatible, 1 incompatible,
 * 2 could not check.
 *
 *   npx tsx --tsconfig tools/tsconfig.json tools/scripts/validator-local.ts \
 *     --blue postgres://app:…@localhost:5432/app --green postgres://app:…@localhost:5433/app [--schema public] [--app-role app] [--no-tls]
 *
 * TLS is verified against the Amazon RDS CA bundle, as in the function; `--no-tls` is for a local server without it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = join(__dirname, '..', '..');
export const VALIDATOR_BUNDLE = join(ROOT, 'dist', 'apps', 'schema-validator', 'index.js');

interface Handler {
  (event: unknown, context?: unknown): Promise<{ ok: boolean; compatible: boolean; errorType?: string }>;
}
interface Bundle {
  createHandler(options: { secretsManager: { send(command: { input: { SecretId: string } }): Promise<{ SecretString: string }> }; tls: 'verify-rds' | 'disable'; env: NodeJS.ProcessEnv; logger?: unknown }): Handler;
}

const ARN = (colour: string) => `arn:aws:secretsmanager:local:000000000000:secret:bluegreen-local-${colour}`;

/** The handler's options for two URLs: secrets and endpoints as the function would get them from its environment. */
export function localValidator(urls: { blue: string; green: string }, tls: 'verify-rds' | 'disable', bundle: Bundle = require(VALIDATOR_BUNDLE) as Bundle): Handler {
  const parsed = { blue: new URL(urls.blue), green: new URL(urls.green) };
  const secrets = new Map(
    (['blue', 'green'] as const).map((c) => [ARN(c), JSON.stringify({ username: decodeURIComponent(parsed[c].username), password: decodeURIComponent(parsed[c].password) })]),
  );
  const env: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn' };
  for (const c of ['blue', 'green'] as const) {
    const u = parsed[c];
    env[`${c.toUpperCase()}_SECRET_ARN`] = ARN(c);
    env[`${c.toUpperCase()}_DB_HOST`] = u.hostname;
    env[`${c.toUpperCase()}_DB_PORT`] = u.port || '5432';
    env[`${c.toUpperCase()}_DB_NAME`] = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres';
  }
  return bundle.createHandler({
    secretsManager: { send: async (command) => ({ SecretString: secrets.get(command.input.SecretId) ?? '' }) },
    tls,
    env,
  });
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { blue: { type: 'string' }, green: { type: 'string' }, schema: { type: 'string', multiple: true }, 'app-role': { type: 'string' }, 'no-tls': { type: 'boolean', default: false } } });
  if (!values.blue || !values.green) {
    process.stderr.write('usage: validator-local --blue URL --green URL [--schema S…] [--app-role R] [--no-tls]\n');
    return 64;
  }
  if (!existsSync(VALIDATOR_BUNDLE)) {
    process.stderr.write(`validator-local: ${VALIDATOR_BUNDLE} is missing: npm run build:validator first\n`);
    return 2;
  }
  const handler = localValidator({ blue: values.blue, green: values.green }, values['no-tls'] ? 'disable' : 'verify-rds');
  const event = { ...(values.schema ? { schemas: values.schema } : {}), ...(values['app-role'] ? { appRole: values['app-role'] } : {}) };
  const result = await handler(event, { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'local' });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return result.ok ? (result.compatible ? 0 : 1) : 2;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
