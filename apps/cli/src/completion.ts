/**
 * `bluegreen completion bash|zsh`: a completion script generated from the command tree itself, so it never lists a
 * command or option that does not exist. Commands and options complete from the tree; `--env` completes the
 * environments of the workspace the shell is in (apps/<env>/environment.yaml); options with fixed choices
 * (`--format`, `--to`, …) complete those.
 */
import type { Command } from 'commander';
import { UsageError, action, didYouMean } from './context';
import { EXIT, exitCodesHelp } from './exit-codes';

export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

interface Node {
  readonly path: string;
  readonly words: string[];
  /** Options of this command with fixed choices: flag -> choices. */
  readonly choices: [string, readonly string[]][];
}

function walk(cmd: Command, path: string[], nodes: Node[], takesValue: Set<string>): void {
  const words = [
    ...cmd.commands.map((c) => c.name()),
    ...cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined)),
    '--help',
  ];
  const choices: [string, readonly string[]][] = [];
  for (const o of cmd.options) {
    if (!o.long) continue;
    if (o.required || o.optional) takesValue.add(o.long);
    if (o.argChoices) choices.push([o.long, o.argChoices]);
  }
  nodes.push({ path: path.join(' '), words: [...new Set(words)], choices });
  for (const sub of cmd.commands) walk(sub, [...path, sub.name()], nodes, takesValue);
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The bash completion function for `program` (also used by the zsh script, through bashcompinit). */
function bashFunction(program: Command): string {
  const nodes: Node[] = [];
  const takesValue = new Set<string>();
  walk(program, [], nodes, takesValue);
  const paths = nodes.filter((n) => n.path !== '').map((n) => quote(n.path));
  return `_bluegreen_environments() {
  local top f
  top=$(git rev-parse --show-toplevel 2>/dev/null || pwd)
  for f in "$top"/apps/*/environment.yaml; do
    [ -e "$f" ] || continue
    f=\${f%/environment.yaml}
    printf '%s\\n' "\${f##*/}"
  done
}

_bluegreen() {
  local cur prev path next i w words
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  path=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in
      -*) case "$w" in
            ${[...takesValue].join('|') || '--'}) ((i++)) ;;
          esac
          continue ;;
    esac
    next="\${path:+$path }$w"
    case "$next" in
      ${paths.join('|')}) path="$next" ;;
    esac
  done
  if [ "$prev" = --env ]; then
    COMPREPLY=($(compgen -W "$(_bluegreen_environments)" -- "$cur"))
    return 0
  fi
  case "$path|$prev" in
${nodes
  .flatMap((n) => n.choices.map(([flag, values]) => `    ${quote(`${n.path}|${flag}`)}) COMPREPLY=($(compgen -W ${quote(values.join(' '))} -- "$cur")); return 0 ;;`))
  .join('\n')}
  esac
  case "$path" in
${nodes.map((n) => `    ${quote(n.path)}) words=${quote(n.words.join(' '))} ;;`).join('\n')}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  return 0
}`;
}

/** The completion script for `shell`. */
export function completionScript(program: Command, shell: Shell): string {
  const fn = bashFunction(program);
  if (shell === 'bash') {
    return `# bash completion for bluegreen. Install: bluegreen completion bash > ~/.local/share/bash-completion/completions/bluegreen
# (or: source <(bluegreen completion bash) in ~/.bashrc)
${fn}
complete -o default -F _bluegreen bluegreen
`;
  }
  return `#compdef bluegreen
# zsh completion for bluegreen. Install: bluegreen completion zsh > "\${fpath[1]}/_bluegreen"
# (or: source <(bluegreen completion zsh) in ~/.zshrc). Uses zsh's bash completion layer.
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${fn}
complete -o default -F _bluegreen bluegreen
`;
}

/** Registers `bluegreen completion <shell>`. */
export function registerCompletionCommand(program: Command): void {
  program
    .command('completion')
    .description('Print a shell completion script: bluegreen completion bash|zsh')
    .argument('<shell>', `the shell: ${SHELLS.join(' or ')}`)
    .addHelpText(
      'after',
      '\nbash: source <(bluegreen completion bash)   (or save it to ~/.local/share/bash-completion/completions/bluegreen)\n' +
        'zsh:  source <(bluegreen completion zsh)    (or save it as _bluegreen in a directory of $fpath)\n' +
        '--env completes the environments of the repository the shell is in.\n' +
        exitCodesHelp({ 0: 'the script was printed' }),
    )
    .action(
      action('completion', async (out, shell: string) => {
        if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`unknown shell '${shell}'${didYouMean(shell, SHELLS)}; supported: ${SHELLS.join(', ')}`);
        // The script must know every command: load them all (the one-line entries of a lazy start are not enough).
        const { buildProgram } = await import('./main');
        out.data(completionScript(await buildProgram('all'), shell as Shell));
        return EXIT.OK;
      }),
    );
}
