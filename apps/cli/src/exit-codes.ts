/**
 * Exit codes of `bluegreen`, the same for every command. A script can branch on them without parsing output:
 *
 *    0  OK        the answer is yes: compatible / identical / gates passed / nothing blocking / done
 *    1  FINDING   the answer is no: incompatible / different / a gate failed / blocking plan change /
 *                 rollback recommended / drift
 *    2  ERROR     no answer: could not check or could not run (connection, authentication, timeout, permission,
 *                 unreadable input, nothing compared). Tools fail closed: an error is never reported as success.
 *   64  USAGE     the command line itself is wrong: unknown command, subcommand or option, missing or malformed
 *                 argument, unknown environment (EX_USAGE from sysexits.h)
 *  141  PIPE      standard output was closed by its reader before the result was written (`| head`): the result was
 *                 not delivered (128 + SIGPIPE, what a shell reports for a process stopped by a closed pipe).
 *                 Help, version and completion output exit 0 instead.
 */
export const EXIT = {
  OK: 0,
  FINDING: 1,
  ERROR: 2,
  USAGE: 64,
  PIPE: 141,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The table, in the words the help and the README use. */
export const EXIT_CODE_TABLE: readonly { readonly code: ExitCode; readonly name: keyof typeof EXIT; readonly meaning: string }[] = [
  { code: EXIT.OK, name: 'OK', meaning: 'ok: compatible, identical, healthy, nothing blocking, done' },
  { code: EXIT.FINDING, name: 'FINDING', meaning: 'verdict negative: incompatible, different, refused, a gate failed, rollback recommended, drift' },
  { code: EXIT.ERROR, name: 'ERROR', meaning: 'could not check or run: unreachable, timed out, unreadable input, nothing compared' },
  { code: EXIT.USAGE, name: 'USAGE', meaning: 'usage: unknown command or option, missing or malformed argument, unknown environment' },
  { code: EXIT.PIPE, name: 'PIPE', meaning: 'stdout closed before the result was written (e.g. | head): result not delivered' },
];

/**
 * The "Exit codes:" block of a command's help: the common table, with what 0/1/2 mean for this command when given.
 * `bluegreen <command> --help` ends with it.
 */
export function exitCodesHelp(specific: Partial<Record<0 | 1 | 2, string>> = {}): string {
  const lines = EXIT_CODE_TABLE.map(({ code, meaning }) => {
    const own = code === 0 || code === 1 || code === 2 ? specific[code] : undefined;
    return `  ${String(code).padEnd(4)}${own ?? meaning}`;
  });
  return `\nExit codes:\n${lines.join('\n')}`;
}
