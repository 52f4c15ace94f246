import { Command, CommanderError } from 'commander';
import { registerDataCommands } from './commands/data';
import { registerMigrationCommands } from './commands/migration';
import { registerPlanCommands } from './commands/plan';
import { registerSchemaCommands } from './commands/schema';
import { registerStateCommands } from './commands/state';
import { registerTrafficCommands } from './commands/traffic';
import { EXIT } from './exit-codes';

/** Builds the `bluegreen` program. Each command module registers its own subcommands. */
export function buildProgram(): Command {
  const program = new Command('bluegreen')
    .description('Blue/green migration operations: schema checks, data verification, database cutover, traffic shifting, plan review, state')
    .showHelpAfterError()
    .exitOverride();
  registerSchemaCommands(program);
  registerDataCommands(program);
  registerMigrationCommands(program);
  registerTrafficCommands(program);
  registerPlanCommands(program);
  registerStateCommands(program);
  (require('./commands/rehearse') as typeof import('./commands/rehearse')).registerRehearseCommand(program);
  return program;
}

/** Runs the command line; resolves to the process exit code (see exit-codes.ts). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; a usage error is exit 64 (EX_USAGE) so it is never mistaken for a verdict.
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    process.stderr.write(`bluegreen: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.ERROR;
  }
}
