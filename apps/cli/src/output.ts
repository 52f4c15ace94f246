/**
 * The one output convention of `bluegreen`:
 *  - data (the report, the JSON document) goes to stdout, and only data;
 *  - errors, warnings, notes and progress go to stderr, errors as `bluegreen <command>: <message>`;
 *  - colour only on a terminal, never with NO_COLOR set (or TERM=dumb), forced with FORCE_COLOR;
 *  - progress only when stderr is a terminal (CI logs and pipes see none);
 *  - everything written passes through the one redaction function: no password reaches a terminal or a log.
 */
import { redactSecrets } from '@bluegreen/redact';
import { Option } from 'commander';
import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/** What the output needs of a stream: process.stdout / process.stderr, or a test's collector. */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export const FORMATS = ['text', 'json'] as const;
export type Format = (typeof FORMATS)[number];

/**
 * `--format text|json`, the option every command that reports takes (default text). Commands whose text form has
 * another name (plan review's markdown) pass their own choices.
 */
export function formatOption(choices: readonly string[] = FORMATS, defaultValue: string = choices[0]): Option {
  return new Option('--format <format>', `output format: ${choices.join(' or ')}`).choices([...choices]).default(defaultValue);
}

/** Colour is used when the stream is a terminal and NO_COLOR is not set (https://no-color.org); FORCE_COLOR wins. */
export function colorEnabled(stream: OutputStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** picocolors functions for a stream: real colours on a terminal, identity functions otherwise. */
export function colorsFor(stream: OutputStream, env: NodeJS.ProcessEnv = process.env): Colors {
  return pc.createColors(colorEnabled(stream, env));
}

export interface Output {
  /** `bluegreen <command path>`, the prefix of every message on stderr. */
  readonly prefix: string;
  /** Colours for text written to stdout (identity when stdout is not a terminal or NO_COLOR is set). */
  readonly colors: Colors;
  /** Writes data to stdout; a missing final newline is added. */
  data(text: string): void;
  /** Writes one JSON document to stdout (2-space indent, final newline). */
  json(value: unknown): void;
  /** `bluegreen <command>: <message>` on stderr. */
  error(message: string): void;
  /** A line on stderr without the prefix (hints, notes, what was and was not done). */
  note(message: string): void;
  /** Progress on stderr, only when stderr is a terminal; returns whether it was shown. */
  progress(message: string): boolean;
  /** Whether progress is shown (stderr is a terminal). */
  readonly showsProgress: boolean;
  /** The streams themselves, for libraries that draw their own progress bar on stderr. */
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
}

export interface OutputStreams {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env?: NodeJS.ProcessEnv;
}

const withNewline = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);

/** The output of one command (`command` is its path without `bluegreen`, e.g. `schema check`). */
export function createOutput(command: string, streams: OutputStreams = { stdout: process.stdout, stderr: process.stderr }): Output {
  const { stdout, stderr } = streams;
  const env = streams.env ?? process.env;
  const prefix = command ? `bluegreen ${command}` : 'bluegreen';
  const showsProgress = stderr.isTTY === true;
  return {
    prefix,
    colors: colorsFor(stdout, env),
    data: (text) => void stdout.write(redactSecrets(withNewline(text))),
    json: (value) => void stdout.write(redactSecrets(`${JSON.stringify(value, null, 2)}\n`)),
    error: (message) => void stderr.write(redactSecrets(`${prefix}: ${withNewline(message)}`)),
    note: (message) => void stderr.write(redactSecrets(withNewline(message))),
    progress: (message) => {
      if (showsProgress) stderr.write(redactSecrets(withNewline(message)));
      return showsProgress;
    },
    showsProgress,
    stdout,
    stderr,
  };
}

/**
 * A reader that closes stdout early (`bluegreen --help | head -1`) must not end in an EPIPE stack trace: the process
 * exits at once, quietly, with `code()` (0 for help/version/completion, 141 otherwise: the result was not delivered).
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream, code: () => number, exit: (code: number) => never = process.exit): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') exit(code());
    throw err;
  });
}
