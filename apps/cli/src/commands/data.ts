import { DEFAULT_EXCLUDED_SCHEMAS, formatText, verifyData, VerifyInputError, type VerifyProgress } from '@bluegreen/data-verify';
import { classifyPgError, DatabaseError } from '@bluegreen/pg-connect';
import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { EXIT } from '../exit-codes';

function positiveInteger(name: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`${name} must be an integer 1-${max}, got ${JSON.stringify(value)}`);
    return n;
  };
}

interface VerifyCliOptions {
  source: string;
  target: string;
  table: string[];
  excludeSchema: string[];
  parallel: number;
  chunkSize: number;
  format: 'text' | 'json';
  statementTimeout: number;
  connectTimeout: number;
}

/** A progress bar on stderr when it is a terminal; nothing otherwise (CI logs, pipes). */
function progressReporter(): { onProgress?: (p: VerifyProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { stop: () => undefined };
  const bar = new SingleBar({ stream: process.stderr, format: 'verifying {bar} {value}/{total} tables  {table}', hideCursor: true, clearOnComplete: true });
  let started = false;
  return {
    onProgress: (p) => {
      if (!started) {
        bar.start(p.total, p.done, { table: '' });
        started = true;
      } else bar.update(p.done, { table: p.started ? `comparing ${p.started}` : (p.table ?? '') });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

async function runVerify(opts: VerifyCliOptions): Promise<number> {
  const progress = progressReporter();
  try {
    const result = await verifyData({
      source: opts.source,
      target: opts.target,
      tables: opts.table,
      excludeSchemas: opts.excludeSchema,
      parallel: opts.parallel,
      chunkSize: opts.chunkSize,
      statementTimeoutMs: opts.statementTimeout * 1000,
      connectTimeoutMs: opts.connectTimeout * 1000,
      onProgress: progress.onProgress,
    });
    progress.stop();
    process.stdout.write(opts.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : `${formatText(result)}\n`);
    return result.identical ? EXIT.OK : EXIT.FINDING;
  } catch (err) {
    progress.stop();
    // Fail closed: whatever went wrong, the answer is "could not verify", never "identical".
    const e = err instanceof VerifyInputError ? err : classifyPgError(err);
    const text = e instanceof DatabaseError ? e.format() : e.message;
    process.stderr.write(`bluegreen data verify: could not verify: ${text}\n`);
    if (opts.format === 'json') {
      const error = e instanceof DatabaseError ? e.toJSON() : { kind: 'input', message: e.message };
      process.stdout.write(`${JSON.stringify({ identical: false, error, tables: [] }, null, 2)}\n`);
    }
    return EXIT.ERROR;
  }
}

/** Registers `bluegreen data …`. */
export function registerDataCommands(program: Command): void {
  const data = program.command('data').description('Data consistency between a migration source and target');
  data
    .command('verify')
    .description(
      'Compare every table (or --table ones) between two PostgreSQL databases by primary-key-ordered chunk checksums ' +
        'computed inside each database, then list differing rows. Exit 0 identical, 1 different, 2 could not verify.',
    )
    .addOption(new Option('--source <url>', 'source database URL (postgres://user:pass@host:port/db)').env('BLUEGREEN_SOURCE_URL').makeOptionMandatory())
    .addOption(new Option('--target <url>', 'target database URL').env('BLUEGREEN_TARGET_URL').makeOptionMandatory())
    .option('--table <name...>', 'only these tables (schema.table, or table when unambiguous); repeatable', [])
    .option('--exclude-schema <name...>', 'schemas left out when no --table is given (DMS control tables)', [...DEFAULT_EXCLUDED_SCHEMAS])
    .option('--parallel <n>', 'connections per side (tables compared at once)', positiveInteger('--parallel', 64), 2)
    .option('--chunk-size <n>', 'rows per checksum chunk', positiveInteger('--chunk-size', 10_000_000), 10_000)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--statement-timeout <seconds>', 'server-side timeout of each query', positiveInteger('--statement-timeout', 86_400), 600)
    .option('--connect-timeout <seconds>', 'give up connecting after this long', positiveInteger('--connect-timeout', 600), 10)
    .addHelpText(
      'after',
      '\nThe URLs may also come from BLUEGREEN_SOURCE_URL / BLUEGREEN_TARGET_URL (keeps passwords out of shell history).\n' +
        'Each side is read in one REPEATABLE READ, READ ONLY snapshot. Values are compared, not their text in a session:\n' +
        'jsonb key order and the session time zone make no difference; NULL and the empty string differ.',
    )
    .action(async (opts: VerifyCliOptions) => {
      process.exitCode = await runVerify(opts);
    });
}
