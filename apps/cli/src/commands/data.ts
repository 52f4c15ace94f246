import { readFileSync } from 'node:fs';
import {
  DEFAULT_EXCLUDED_SCHEMAS,
  formatText,
  mergeResults,
  NothingToCompareError,
  parseShard,
  parseVerifyResult,
  verifyData,
  VerifyAbortedError,
  VerifyInputError,
  urlFromEnvironment,
  type Shard,
  type VerifyProgress,
  type VerifyResult,
} from '@bluegreen/data-verify';
import { putReport, reportClient } from '@bluegreen/cutover';
import { classifyPgError, DatabaseError } from '@bluegreen/pg-connect';
import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { EXIT } from '../exit-codes';

function integer(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer ${min}-${max}, got ${JSON.stringify(value)}`);
    return n;
  };
}
const positiveInteger = (name: string, max: number) => integer(name, 1, max);

function shardArg(value: string): Shard {
  try {
    return parseShard(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

interface VerifyCliOptions {
  source: string;
  target: string;
  table: string[];
  excludeSchema: string[];
  allowEmpty?: boolean;
  parallel?: number;
  chunkSize: number;
  format: 'text' | 'json';
  statementTimeout: number;
  connectTimeout: number;
  checkpoint?: string;
  shard?: Shard;
  recheck: number;
  recheckDelay: number;
  reportUrl?: string;
}

interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * Progress on `stream` (stderr) with rows hashed, rate and ETA, only when it is a terminal: CI logs, pipes and
 * `--format json` consumers see nothing on it.
 */
export function progressReporter(stream: Stream & NodeJS.WritableStream): { onProgress?: (p: VerifyProgress) => void; stop: () => void } {
  if (!stream.isTTY) return { stop: () => undefined };
  const bar = new SingleBar({
    stream,
    format: '{phase} {bar} {percentage}%  {rows}/{rowsTotal} rows  {tables} tables  ETA {eta_text}  {table}',
    hideCursor: true,
    clearOnComplete: true,
    noTTYOutput: false,
  });
  let started = false;
  const payload = (p: VerifyProgress) => ({
    phase: p.phase === 'hash' ? 'verifying' : p.phase,
    rows: p.rowsDone.toLocaleString('en-US'),
    rowsTotal: p.rowsTotal.toLocaleString('en-US'),
    tables: `${p.done}/${p.total}`,
    eta_text: p.etaMs === undefined ? '?' : duration(p.etaMs),
    table: p.started ? `comparing ${p.started}` : (p.table ?? ''),
  });
  return {
    onProgress: (p) => {
      const total = Math.max(1, p.unitsTotal);
      if (!started) {
        bar.start(total, p.unitsDone, payload(p));
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(p.unitsDone, payload(p));
      }
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

function print(result: VerifyResult, format: 'text' | 'json'): number {
  process.stdout.write(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : `${formatText(result)}\n`);
  return result.identical ? EXIT.OK : EXIT.FINDING;
}

/** `--report-url s3://…`: the JSON result (or the error) also goes there; a report that cannot be written is exit 2. */
async function upload(url: string | undefined, body: object, code: number): Promise<number> {
  if (!url) return code;
  try {
    const where = await putReport(url, `${JSON.stringify(body, null, 2)}\n`, { s3: reportClient(process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION) });
    process.stderr.write(`bluegreen data verify: report written to ${where}\n`);
    return code;
  } catch (err) {
    process.stderr.write(`bluegreen data verify: ${(err as Error).message}\n`);
    return EXIT.ERROR;
  }
}

function errorBody(err: unknown): object {
  const e = err instanceof VerifyInputError || err instanceof VerifyAbortedError ? err : classifyPgError(err);
  const kind = e instanceof NothingToCompareError ? 'nothing-to-compare' : e instanceof VerifyAbortedError ? 'interrupted' : 'input';
  return { identical: false, error: e instanceof DatabaseError ? e.toJSON() : { kind, message: e.message }, compared: [], tables: [] };
}

function couldNot(command: string, err: unknown, format: 'text' | 'json'): number {
  // Fail closed: whatever went wrong, the answer is "could not verify", never "identical".
  const e = err instanceof VerifyInputError || err instanceof VerifyAbortedError ? err : classifyPgError(err);
  const text = e instanceof DatabaseError ? e.format() : e.message;
  process.stderr.write(`bluegreen ${command}: could not verify: ${text}\n`);
  if (format === 'json') process.stdout.write(`${JSON.stringify(errorBody(e), null, 2)}\n`);
  return EXIT.ERROR;
}

async function runVerify(opts: VerifyCliOptions): Promise<number> {
  const progress = progressReporter(process.stderr);
  // Ctrl-C / a stopped container: stop at once, keep the checkpoint, exit 2 (not verified).
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const result = await verifyData({
      source: opts.source,
      target: opts.target,
      tables: opts.table,
      excludeSchemas: opts.excludeSchema,
      allowEmpty: opts.allowEmpty,
      parallel: opts.parallel,
      chunkSize: opts.chunkSize,
      statementTimeoutMs: opts.statementTimeout * 1000,
      connectTimeoutMs: opts.connectTimeout * 1000,
      checkpoint: opts.checkpoint,
      shard: opts.shard,
      recheck: { count: opts.recheck, delayMs: opts.recheckDelay * 1000 },
      signal: abort.signal,
      onProgress: progress.onProgress,
    });
    progress.stop();
    return await upload(opts.reportUrl, result, print(result, opts.format));
  } catch (err) {
    progress.stop();
    return await upload(opts.reportUrl, errorBody(err), couldNot('data verify', err, opts.format));
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function runMerge(files: string[], opts: { format: 'text' | 'json'; allowEmpty?: boolean }): number {
  try {
    const results = files.map((file) => {
      let value: unknown;
      try {
        value = JSON.parse(readFileSync(file, 'utf8'));
      } catch (err) {
        throw new VerifyInputError(`cannot read ${file}: ${(err as Error).message}`);
      }
      return { result: parseVerifyResult(value, file), source: file };
    });
    return print(mergeResults(results, { allowEmpty: opts.allowEmpty }), opts.format);
  } catch (err) {
    return couldNot('data verify merge', err, opts.format);
  }
}

/** Registers `bluegreen data …`. */
export function registerDataCommands(program: Command): void {
  const data = program.command('data').description('Data consistency between a migration source and target');
  const verify = data
    .command('verify')
    .description(
      'Compare every table (or --table ones) between two PostgreSQL databases by key-range chunk checksums computed ' +
        'inside each database, both sides at once, then list differing rows. Exit 0 identical, 1 different, 2 could not ' +
        'verify (nothing to compare included), 64 usage.',
    )
    // Required, but checked in the action: commander would demand them of the `merge` subcommand too.
    .addOption(new Option('--source <url>', 'source database URL (postgres://user:pass@host:port/db); required').env('BLUEGREEN_SOURCE_URL'))
    .addOption(new Option('--target <url>', 'target database URL; required').env('BLUEGREEN_TARGET_URL'))
    .addOption(new Option('--report-url <s3-url>', 'also write the JSON result (or the error) to this S3 object (the verify task)').env('BLUEGREEN_REPORT_URL'))
    .option('--table <name...>', 'only these tables (schema.table, or table when unambiguous); repeatable', [])
    .option('--exclude-schema <name...>', 'schemas left out when no --table is given (DMS control tables)', [...DEFAULT_EXCLUDED_SCHEMAS])
    .option('--allow-empty', 'accept a comparison of zero tables (exit 0) instead of refusing it (exit 2)')
    .option('--parallel <n>', 'connections per side (chunks hashed at once); default: 1 + the source server\'s max_parallel_workers_per_gather, at most 8', positiveInteger('--parallel', 64))
    .option('--chunk-size <n>', 'rows per checksum chunk (the unit of work)', positiveInteger('--chunk-size', 10_000_000), 10_000)
    .option('--checkpoint <file>', 'record finished chunks here; rerun with the same file to continue an interrupted run')
    .option('--shard <i/n>', 'take share i of n of the chunks (each worker its own --checkpoint); combine with data verify merge', shardArg)
    .option('--recheck <count>', 'recheck a differing chunk this many times before reporting it (under replication)', integer('--recheck', 0, 100), 0)
    .option('--recheck-delay <seconds>', 'wait before each recheck round', integer('--recheck-delay', 0, 3600), 5)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--statement-timeout <seconds>', 'server-side timeout of each query', positiveInteger('--statement-timeout', 86_400), 600)
    .option('--connect-timeout <seconds>', 'give up connecting after this long', positiveInteger('--connect-timeout', 600), 10)
    .addHelpText(
      'after',
      '\nThe URLs may also come from BLUEGREEN_SOURCE_URL / BLUEGREEN_TARGET_URL (keeps passwords out of shell history).\n' +
        'Each side is read in one REPEATABLE READ, READ ONLY snapshot. Values are compared, not their text in a session:\n' +
        'jsonb key order and the session time zone make no difference; NULL and the empty string differ.\n' +
        'Under live replication use --recheck 3 --recheck-delay 10: chunks that catch up are reported apart as\n' +
        '"differed, converged on recheck"; what still differs is reported as different.\n' +
        'Progress (rows, ETA) goes to stderr only when it is a terminal.\n' +
        'Without --source/--target, BLUEGREEN_{SOURCE,TARGET}_{HOST,PORT,USER,PASSWORD,DATABASE[,SSLMODE,SSLROOTCERT]} are used\n' +
        '(how the verify task gets its connection secrets).',
    )
    .action(async (opts: VerifyCliOptions) => {
      // In the verify task ECS injects each key of the connection secrets on its own (BLUEGREEN_SOURCE_HOST, …).
      try {
        opts.source ??= urlFromEnvironment('BLUEGREEN_SOURCE') as string;
        opts.target ??= urlFromEnvironment('BLUEGREEN_TARGET') as string;
      } catch (err) {
        verify.error(`error: ${(err as Error).message}`, { exitCode: EXIT.USAGE, code: 'commander.invalidArgument' });
      }
      for (const [name, value] of [['--source <url>', opts.source], ['--target <url>', opts.target]] as const) {
        if (!value) verify.error(`error: required option '${name}' not specified`, { exitCode: EXIT.USAGE, code: 'commander.missingMandatoryOptionValue' });
      }
      process.exitCode = await runVerify(opts);
    });
  verify
    .command('merge')
    .description("Combine the JSON results of every --shard i/n run of one comparison into one verdict (exit 0/1/2 as data verify; --format text|json as data verify's)")
    .argument('<files...>', "each shard's --format json output")
    .action((files: string[], _opts: unknown, cmd: Command) => {
      // --format and --allow-empty belong to `data verify` (commander reads them there wherever they stand).
      const parent = (cmd.parent as Command).opts<{ format: 'text' | 'json'; allowEmpty?: boolean }>();
      process.exitCode = runMerge(files, { format: parent.format, allowEmpty: parent.allowEmpty });
    });
}
