import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redactSecrets } from '@bluegreen/redact';
import { Command, CommanderError } from 'commander';
import { didYouMean, UsageError } from './usage';
import { EXIT, EXIT_CODE_TABLE } from './exit-codes';
import { exitQuietlyOnClosedPipe } from './output';

type Register = (program: Command) => void;

/**
 * The commands, each loaded only when it runs: `bluegreen --help` and `bluegreen plan review` never load the AWS SDK,
 * `pg` or CDK for Terraform. The description is what the root help lists before the module is loaded (a test checks
 * it is the module's own).
 */
export const COMMANDS: readonly { readonly name: string; readonly description: string; readonly load: () => Promise<Register> }[] = [
  {
    name: 'schema',
    description: 'Schema compatibility between the blue (old) and green (new) databases',
    load: async () => (await import('./commands/schema')).registerSchemaCommands,
  },
  {
    name: 'data',
    description: 'Data consistency between a migration source and target',
    load: async () => (await import('./commands/data')).registerDataCommands,
  },
  {
    name: 'migration',
    description: 'The database cutover and its way back: DMS forward and reverse replication',
    load: async () => (await import('./commands/migration')).registerMigrationCommands,
  },
  {
    name: 'traffic',
    description: 'Move traffic between blue and green in stages, watch it, roll back, promote',
    load: async () => {
      const { registerTrafficCommands } = await import('./commands/traffic');
      return (program) => registerTrafficCommands(program);
    },
  },
  {
    name: 'plan',
    description: 'Terraform plan tools',
    load: async () => (await import('./commands/plan')).registerPlanCommands,
  },
  {
    name: 'state',
    description: 'Terraform state inspection',
    load: async () => (await import('./commands/state')).registerStateCommands,
  },
  {
    name: 'completion',
    description: 'Print a shell completion script: bluegreen completion bash|zsh',
    load: async () => (await import('./completion')).registerCompletionCommand,
  },
];

declare const BLUEGREEN_VERSION: string | undefined;

/** The package version: built into the bundle, read from the workspace's package.json when run from the sources. */
export function version(): string {
  if (typeof BLUEGREEN_VERSION === 'string') return BLUEGREEN_VERSION;
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

const ROOT_HELP = `
Exit codes (every command):
${EXIT_CODE_TABLE.map(({ code, meaning }) => `  ${String(code).padEnd(4)}${meaning}`).join('\n')}

Data goes to stdout; errors, notes and progress to stderr. NO_COLOR turns colour off.
Shell completion: bluegreen completion bash|zsh (see bluegreen completion --help).`;

/**
 * Builds the `bluegreen` program with the commands named in `load` registered in full ('all': every command, for
 * completion and tests) and the others as one-line entries of the root help.
 */
export async function buildProgram(load: readonly string[] | 'all' = 'all', commandPath: () => string = () => ''): Promise<Command> {
  const program = new Command('bluegreen')
    .description('Blue/green migration operations: schema checks, data verification, database cutover, traffic shifting, plan review, state')
    .version(version(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .addHelpText('after', ROOT_HELP)
    .exitOverride()
    .configureOutput({
      // commander's own usage errors in the convention's style: `bluegreen <command>: usage: …`, then where help is.
      outputError: (text, write) => write(redactSecrets(usageText(commandPath(), text))),
    });
  for (const c of COMMANDS) {
    if (load === 'all' || load.includes(c.name)) (await c.load())(program);
    else program.command(c.name).description(c.description);
  }
  return program;
}

function usageText(path: string, commanderText: string): string {
  const message = commanderText
    .trim()
    .replace(/^error: /, '')
    .replace(/\n\(Did you mean (.*)\?\)$/, ' (did you mean $1?)')
    .replace(/\n/g, ' ');
  const prefix = path ? `bluegreen ${path}` : 'bluegreen';
  return `${prefix}: usage: ${message}\nSee '${prefix} --help'.\n`;
}

const isHelpFlag = (a: string) => a === '-h' || a === '--help';

/**
 * `help a b` means `a b --help`; returns the arguments after the program name with that rewrite made.
 * (commander's help command would show the parent's help, exit 0, for a subcommand that does not exist.)
 */
function rewriteHelpCommand(args: readonly string[]): string[] {
  const i = args.findIndex((a) => !a.startsWith('-'));
  if (i < 0) return [...args];
  // `bluegreen help …` and `bluegreen <group> help …`
  for (let j = i; j < args.length && !args[j].startsWith('-'); j++) {
    if (args[j] === 'help') return [...args.slice(0, j), ...args.slice(j + 1), '--help'];
  }
  return [...args];
}

/**
 * Walks the command words of `args` down the tree. A command that only groups others (no options of its own) must be
 * followed by one of its subcommands: anything else is a usage error naming the closest. commander itself prints the
 * parent's help and exits 0 when `--help` follows an unknown subcommand (`bluegreen migration stats --help`), which
 * would hide the typo from a script. Returns the path of the deepest command reached.
 */
export function commandPathOf(program: Command, args: readonly string[]): string[] {
  const path: string[] = [];
  let cmd = program;
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (isHelpFlag(word) || word.startsWith('-')) break;
    const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) {
      const ownOptions = cmd.options.filter((o) => !isHelpFlag(o.long ?? '') && o.long !== '--version');
      if (cmd.commands.length > 0 && ownOptions.length === 0 && cmd.registeredArguments.length === 0) {
        const where = path.length ? `bluegreen ${path.join(' ')}` : 'bluegreen';
        throw Object.assign(new UsageError(`unknown command '${word}'${didYouMean(word, cmd.commands.map((c) => c.name()))}`), { path: path.join(' '), where });
      }
      break;
    }
    path.push(word);
    cmd = sub;
  }
  return path;
}

/** Whether the output asked for is help, the version or a completion script (a closed pipe then still exits 0). */
function informational(args: readonly string[]): boolean {
  const words = args.filter((a) => !a.startsWith('-'));
  return args.some((a) => isHelpFlag(a) || a === '-V' || a === '--version') || words[0] === 'help' || words[0] === 'completion' || words.length === 0;
}

/** Runs the command line; resolves to the process exit code (see exit-codes.ts). */
export async function main(argv: readonly string[]): Promise<number> {
  const args = rewriteHelpCommand(argv.slice(2));
  const first = args.find((a) => !a.startsWith('-'));
  const known = COMMANDS.find((c) => c.name === first);
  let path = '';
  const program = await buildProgram(known ? [known.name] : [], () => path);
  try {
    path = commandPathOf(program, args).join(' ');
  } catch (err) {
    const e = err as UsageError & { path: string; where: string };
    process.stderr.write(redactSecrets(`${e.where}: usage: ${e.message}\nSee '${e.where} --help'.\n`));
    return EXIT.USAGE;
  }
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync([...argv.slice(0, 2), ...args]);
    // Actions report their outcome through process.exitCode (see context.ts's action()).
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; a usage error is exit 64 (EX_USAGE) so it is never mistaken for a verdict.
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    process.stderr.write(redactSecrets(`bluegreen${path ? ` ${path}` : ''}: ${err instanceof Error ? err.message : String(err)}\n`));
    return EXIT.ERROR;
  } finally {
    process.exitCode = before;
  }
}

/** The entry point of the bin: a reader closing stdout early ends the process quietly; the exit code is main's. */
export async function run(argv: readonly string[]): Promise<void> {
  const code = informational(argv.slice(2)) ? EXIT.OK : EXIT.PIPE;
  exitQuietlyOnClosedPipe(process.stdout, () => code);
  process.exitCode = await main(argv);
}
