/**
 * Exit codes of `bluegreen`. Commands that give a verdict use 0/1/2 with these meanings:
 *   0  OK            compatible / identical / gates passed / nothing blocking
 *   1  FINDING       incompatible / differences / a gate failed / blocking plan change / rollback recommended
 *   2  ERROR         could not decide (connection, authentication, timeout, permission, bad input file):
 *                    tools fail closed, never reporting success on an error
 *  64  USAGE         the command line itself is wrong (unknown option, missing argument)
 */
export const EXIT = {
  OK: 0,
  FINDING: 1,
  ERROR: 2,
  USAGE: 64,
} as const;
