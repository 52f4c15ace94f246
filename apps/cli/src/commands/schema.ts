import { classifyPgError, DatabaseError } from '@bluegreen/pg-connect';
import { checkCompatibility, ConfigurationError, formatReportText, NothingToCompareError, reportToJson } from '@bluegreen/schema-compat';
import { loadEnvironmentConfig, resolveService } from '@bluegreen/config';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { integerIn } from '../arguments';
import { action, parseEnvironmentName, resolveEnvironment, UsageError } from '../context';
import { EXIT, exitCodesHelp } from '../exit-codes';
import { formatOption, type Format, type Output } from '../output';

const positiveInteger = (name: string, max: number) => integerIn(name, 1, max);

function postgresUrl(name: string) {
  return (value: string): string => {
    if (!/^postgres(ql)?:\/\//.test(value)) throw new InvalidArgumentError(`${name} must be a postgres:// or postgresql:// URL`);
    try {
      new URL(value);
    } catch {
      throw new InvalidArgumentError(`${name} is not a valid URL`);
    }
    return value;
  };
}

interface SchemaCheckOptions {
  blue: string;
  green: string;
  env?: string;
  config?: string;
  service?: string;
  schema: string[];
  excludeSchema: string[];
  appRole?: string;
  allowEmpty?: boolean;
  format: Format;
  failOn: 'incompatible' | 'warning';
  statementTimeout: number;
  lockTimeout: number;
  connectTimeout: number;
}

/**
 * `--service <name>`: the service's schema (`services.<name>.databaseSchema`) as its role (`databaseRole`, unless
 * `--app-role` names one), from the environment's config. Usage errors: --service without --env, or with --schema.
 */
function withServiceScope(opts: SchemaCheckOptions): SchemaCheckOptions {
  if (opts.service === undefined) return opts;
  if (opts.env === undefined) throw new UsageError('--service needs --env (the environment whose config names the service\'s schema)');
  if (opts.schema.length > 0) throw new UsageError(`--service takes the schema from the config (services.${opts.service}.databaseSchema): leave out --schema`);
  const config = loadEnvironmentConfig(resolveEnvironment({ env: opts.env, config: opts.config }).configPath);
  const { service } = resolveService(config, opts.service);
  return { ...opts, schema: [service.databaseSchema], appRole: opts.appRole ?? service.databaseRole };
}

async function runCheck(out: Output, opts: SchemaCheckOptions): Promise<number> {
  const connection = { statementTimeoutMs: opts.statementTimeout * 1000, lockTimeoutMs: opts.lockTimeout * 1000, connectTimeoutMs: opts.connectTimeout * 1000 };
  try {
    const report = await checkCompatibility({
      blue: { url: opts.blue, ...connection },
      green: { url: opts.green, ...connection },
      schemas: opts.schema,
      excludeSchemas: opts.excludeSchema,
      appRole: opts.appRole,
      allowEmpty: opts.allowEmpty === true,
    });
    if (opts.format === 'json') out.json(reportToJson(report));
    else out.data(formatReportText(report, out.colors.isColorSupported ? out.colors : undefined));
    if (!report.compatible) return EXIT.FINDING;
    if (opts.failOn === 'warning' && report.summary.warning > 0) return EXIT.FINDING;
    return EXIT.OK;
  } catch (err) {
    if (err instanceof NothingToCompareError) {
      // No object compared is no verdict: exit 2, like any other "could not decide".
      out.error(`${err.message} (check --schema/--exclude-schema; --allow-empty accepts an empty comparison)`);
      if (opts.format === 'json') out.json({ compatible: false, error: { kind: 'nothing-to-compare', message: err.message }, compared: err.compared, changes: [] });
      return EXIT.ERROR;
    }
    // Fail closed: any error means "could not check", never "compatible".
    const e = err instanceof ConfigurationError ? err : classifyPgError(err);
    const text = e instanceof DatabaseError ? e.format() : e.message;
    out.error(`could not check: ${text}`);
    if (opts.format === 'json') {
      const error = e instanceof DatabaseError ? e.toJSON() : { kind: 'configuration', message: e.message };
      out.json({ compatible: false, error, changes: [] });
    }
    return EXIT.ERROR;
  }
}

/** Registers `bluegreen schema …`. */
export function registerSchemaCommands(program: Command): void {
  const schema = program.command('schema').description('Schema compatibility between the blue (old) and green (new) databases');
  schema
    .command('check')
    .description(
      'Read both schemas (a fixed number of catalog queries, read-only) and judge every difference from the point of view of ' +
        'the OLD application running on the NEW schema.',
    )
    .addOption(new Option('--blue <url>', 'database of the old (blue) application').env('BLUEGREEN_BLUE_URL').argParser(postgresUrl('--blue')).makeOptionMandatory())
    .addOption(new Option('--green <url>', 'database with the new (green) schema').env('BLUEGREEN_GREEN_URL').argParser(postgresUrl('--green')).makeOptionMandatory())
    .option('--schema <name...>', 'only these schemas (repeatable); default: every non-system schema (or, with --service, the service\'s)', [])
    .addOption(new Option('--env <env>', 'with --service: the environment whose config names the service (apps/<env>/environment.yaml)').argParser(parseEnvironmentName))
    .option('--config <file>', 'with --service: this environment config file instead of apps/<env>/environment.yaml')
    .option('--service <name>', "the service whose schema to check (services.<name> of the environment's config; needs --env); not with --schema")
    .option('--exclude-schema <name...>', 'leave these schemas out (repeatable)', [])
    .option('--allow-empty', 'accept a comparison that finds no table, view, sequence, type or function in the selected schemas (otherwise exit 2)')
    .option('--app-role <role>', 'role the application connects as: its effective privileges are compared, other roles\' grant changes become warnings')
    .addOption(formatOption())
    .addOption(new Option('--fail-on <level>', 'lowest verdict that makes the exit code 1').choices(['incompatible', 'warning']).default('incompatible'))
    .option('--statement-timeout <seconds>', 'server-side timeout of each catalog query', positiveInteger('--statement-timeout', 3600), 30)
    .option('--lock-timeout <seconds>', 'give up instead of waiting behind DDL locks', positiveInteger('--lock-timeout', 3600), 5)
    .option('--connect-timeout <seconds>', 'give up connecting after this long', positiveInteger('--connect-timeout', 600), 10)
    .addHelpText(
      'after',
      '\nThe URLs may also come from BLUEGREEN_BLUE_URL / BLUEGREEN_GREEN_URL (keeps passwords out of shell history).\n' +
        'Verdicts: incompatible = the old application breaks (dropped/renamed objects, narrowed types, new NOT NULL, lost privileges, …);\n' +
        'warning = depends on data or usage (new CHECK/UNIQUE/FK, trigger or collation changes, dropped indexes, …);\n' +
        'compatible = additive or more permissive. See docs/schema-compatibility.md.\n' +
        'With --env and --service: that service\'s schema (services.<name>.databaseSchema) as its role (databaseRole, unless --app-role).\n' +
        exitCodesHelp({
          0: 'compatible',
          1: 'incompatible (or warnings, with --fail-on warning)',
          2: 'could not check: connection, authentication, timeout, a --schema/--exclude-schema naming no schema, nothing to compare',
        }),
    )
    .action(action('schema check', (out, opts: SchemaCheckOptions) => runCheck(out, withServiceScope(opts))));
}
