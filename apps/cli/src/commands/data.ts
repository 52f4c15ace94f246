import { readFileSync } from 'node:fs';
import type { Shard, VerifyProgress, VerifyResult } from '@bluegreen/data-verify';
import { classifyPgError, DatabaseError } from '@bluegreen/pg-connect';
import { SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';
import { integerIn } from '../arguments';
import { action, interruptOnSignals, UsageError } from '../context';
import { EXIT, exitCodesHelp } from '../exit-codes';
import { formatOption, type Format, type Output } from '../output';

// The verifier and the S3 client (AWS SDK) load only when a comparison runs, not for --help.
const dataVerify = () => import('@bluegreen/data-verify');

const positiveInteger = (name: string, max: number) => integerIn(name, 1, max);

/** `--shard i/n`, checked by the verifier's own parser when the command runs (a usage error when malformed). */
async function shardOf(value: string | undefined): Promise<Shard | undefined> {
  if (value === undefined) return undefined;
  const { parseShard } = await dataVerify();
  try {
    return parseShard(value);
  } catch (err) {
    throw new UsageError(`option '--shard <i/n>' argument ${JSON.stringify(value)} is invalid: ${(err as Error).message}`);
  }
}

interface VerifyCliOptions {
  source: string;
  target: string;
  table: string[];
  excludeSchema?: string[];
  allowEmpty?: boolean;
  parallel?: number;
  chunkSize: number;
  format: Format;
  statementTimeout: number;
  connectTimeout: number;
  checkpoint?: string;
  shard?: string;
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

async function print(out: Output, result: VerifyResult, format: Format): Promise<number> {
  if (format === 'json') out.json(result);
  else out.data((await dataVerify()).formatText(result));
  return result.identical ? EXIT.OK : EXIT.FINDING;
}

/** `--report-url s3://…`: the JSON result (or the error) also goes there; a report that cannot be written is exit 2. */
async function upload(out: Output, url: string | undefined, body: object, code: number): Promise<number> {
  if (!url) return code;
  try {
    const { putReport, reportClient } = await import('@bluegreen/cutover');
    const where = await putReport(url, `${JSON.stringify(body, null, 2)}\n`, { s3: reportClient(process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION) });
    out.note(`${out.prefix}: report written to ${where}`);
    return code;
  } catch (err) {
    out.error((err as Error).message);
    return EXIT.ERROR;
  }
}

async function errorBody(err: unknown): Promise<object> {
  const { NothingToCompareError, VerifyAbortedError, VerifyInputError } = await dataVerify();
  const e = err instanceof VerifyInputError || err instanceof VerifyAbortedError ? err : classifyPgError(err);
  const kind = e instanceof NothingToCompareError ? 'nothing-to-compare' : e instanceof VerifyAbortedError ? 'interrupted' : 'input';
  return { identical: false, error: e instanceof DatabaseError ? e.toJSON() : { kind, message: e.message }, compared: [], tables: [] };
}

async function couldNot(out: Output, err: unknown, format: Format): Promise<number> {
  // Fail closed: whatever went wrong, the answer is "could not verify", never "identical".
  const { VerifyAbortedError, VerifyInputError } = await dataVerify();
  const e = err instanceof VerifyInputError || err instanceof VerifyAbortedError ? err : classifyPgError(err);
  const text = e instanceof DatabaseError ? e.format() : e.message;
  out.error(`could not verify: ${text}`);
  if (format === 'json') out.json(await errorBody(e));
  return EXIT.ERROR;
}

async function runVerify(out: Output, opts: VerifyCliOptions): Promise<number> {
  const shard = await shardOf(opts.shard);
  const { verifyData } = await dataVerify();
  const progress = progressReporter(process.stderr);
  // Ctrl-C / a stopped container: stop at once, keep the checkpoint, exit 2 (not verified).
  const interrupt = interruptOnSignals(out, 'stopping the comparison, the checkpoint is kept');
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
      shard,
      recheck: { count: opts.recheck, delayMs: opts.recheckDelay * 1000 },
      signal: interrupt.signal,
      onProgress: progress.onProgress,
    });
    progress.stop();
    return await upload(out, opts.reportUrl, result, await print(out, result, opts.format));
  } catch (err) {
    progress.stop();
    return await upload(out, opts.reportUrl, await errorBody(err), await couldNot(out, err, opts.format));
  } finally {
    interrupt.dispose();
  }
}

async function runMerge(out: Output, files: string[], opts: { format: Format; allowEmpty?: boolean }): Promise<number> {
  const { mergeResults, parseVerifyResult, VerifyInputError } = await dataVerify();
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
    return await print(out, mergeResults(results, { allowEmpty: opts.allowEmpty }), opts.format);
  } catch (err) {
    return couldNot(out, err, opts.format);
  }
}

/** Registers `bluegreen data …`. */
export function registerDataCommands(program: Command): void {
  const data = program.command('data').description('Data consistency between a migration source and target');
  const verify = data
    .command('verify')
    .description(
      'Compare every table (or --table ones) between two PostgreSQL databases by key-range chunk checksums computed ' +
        'inside each database, both sides at once, then list differing rows.',
    )
    // Required, but checked in the action: commander would demand them of the `merge` subcommand too.
    .addOption(new Option('--source <url>', 'source database URL (postgres://user:pass@host:port/db); required').env('BLUEGREEN_SOURCE_URL'))
    .addOption(new Option('--target <url>', 'target database URL; required').env('BLUEGREEN_TARGET_URL'))
    .addOption(new Option('--report-url <s3-url>', 'also write the JSON result (or the error) to this S3 object (the verify task)').env('BLUEGREEN_REPORT_URL'))
    .option('--table <name...>', 'only these tables (schema.table, or table when unambiguous); repeatable', [])
    .option('--exclude-schema <name...>', 'schemas left out when no --table is given (default: the DMS control schema, awsdms_control)')
    .option('--allow-empty', 'accept a comparison of zero tables (exit 0) instead of refusing it (exit 2)')
    .option('--parallel <n>', 'connections per side (chunks hashed at once); default: 1 + the source server\'s max_parallel_workers_per_gather, at most 8', positiveInteger('--parallel', 64))
    .option('--chunk-size <n>', 'rows per checksum chunk (the unit of work)', positiveInteger('--chunk-size', 10_000_000), 10_000)
    .option('--checkpoint <file>', 'record finished chunks here; rerun with the same file to continue an interrupted run')
    .option('--shard <i/n>', 'take share i of n of the chunks (each worker its own --checkpoint); combine with data verify merge')
    .option('--recheck <count>', 'recheck a differing chunk this many times before reporting it (under replication)', integerIn('--recheck', 0, 100), 0)
    .option('--recheck-delay <seconds>', 'wait before each recheck round', integerIn('--recheck-delay', 0, 3600), 5)
    .addOption(formatOption())
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
        '(how the verify task gets its connection secrets).\n' +
        exitCodesHelp({ 0: 'identical', 1: 'different', 2: 'could not verify (connection, timeout, interrupted, nothing to compare, report not written)' }),
    )
    .action(
      action('data verify', async (out, opts: VerifyCliOptions) => {
        // In the verify task ECS injects each key of the connection secrets on its own (BLUEGREEN_SOURCE_HOST, …).
        const { urlFromEnvironment } = await dataVerify();
        try {
          opts.source ??= urlFromEnvironment('BLUEGREEN_SOURCE') as string;
          opts.target ??= urlFromEnvironment('BLUEGREEN_TARGET') as string;
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
        for (const [name, value] of [['--source <url>', opts.source], ['--target <url>', opts.target]] as const) {
          if (!value) throw new UsageError(`required option '${name}' not specified (or BLUEGREEN_${name.slice(2, 8).toUpperCase()}_URL)`);
        }
        return runVerify(out, opts);
      }),
    );
  verify
    .command('merge')
    .description("Combine the JSON results of every --shard i/n run of one comparison into one verdict (--format text|json and --allow-empty as data verify's)")
    .argument('<files...>', "each shard's --format json output")
    .addHelpText('after', exitCodesHelp({ 0: 'identical', 1: 'different', 2: 'could not merge: unreadable result, shards missing or overlapping, nothing compared' }))
    .action(
      action('data verify merge', (out, files: string[], _opts: unknown, cmd: Command) => {
        // --format and --allow-empty belong to `data verify` (commander reads them there wherever they stand).
        const parent = (cmd.parent as Command).opts<{ format: Format; allowEmpty?: boolean }>();
        return runMerge(out, files, { format: parent.format, allowEmpty: parent.allowEmpty });
      }),
    );
}
