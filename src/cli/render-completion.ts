import type { Command, Option } from 'commander';

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** One command of the tree as completion needs it: its path, subcommands, visible flags and their choices. */
interface Node {
  path: string[];
  subcommands: { name: string; description: string }[];
  options: { flags: string[]; description: string; takesValue: boolean; choices: readonly string[] }[];
  /** Choices of the first positional argument (e.g. `lab up single|multi|ha`). */
  argumentChoices: readonly string[];
}

/** A completion script for `shell`, generated from the commander tree so it never drifts from the flags. */
export function renderCompletion(program: Command, shell: CompletionShell): string {
  const nodes = walk(program, []);
  if (shell === 'bash') return renderBash(nodes);
  if (shell === 'zsh') return `#compdef lab\nautoload -U +X bashcompinit && bashcompinit\n${renderBash(nodes)}`;
  return renderFish(nodes);
}

function walk(command: Command, path: string[]): Node[] {
  const visible = command.commands.filter((c) => !(c as Command & { _hidden?: boolean })._hidden);
  const node: Node = {
    path,
    subcommands: visible.map((c) => ({ name: c.name(), description: c.description() })),
    options: command.options.filter((o) => !o.hidden).map(describeOption),
    argumentChoices: command.registeredArguments[0]?.argChoices ?? [],
  };
  return [node, ...visible.flatMap((c) => walk(c, [...path, c.name()]))];
}

function describeOption(option: Option) {
  return {
    flags: [option.short, option.long].filter((f): f is string => typeof f === 'string'),
    description: option.description,
    takesValue: option.required || option.optional,
    choices: option.argChoices ?? [],
  };
}

/** Words are flag names and choice values: plain identifiers, safe inside single quotes. */
function words(list: readonly string[]): string {
  return list.join(' ');
}

function renderBash(nodes: Node[]): string {
  const cases = nodes.map((node) => {
    const key = node.path.join(' ');
    const valueCases = node.options
      .filter((o) => o.takesValue)
      // A value without choices is most often a path (--out, --kubeconfig, -f): complete file names.
      .map((o) => `        ${o.flags.join('|')}) COMPREPLY=( $(compgen ${o.choices.length ? `-W '${words(o.choices)}'` : '-f'} -- "$cur") ); return ;;`);
    const candidates = [...node.subcommands.map((s) => s.name), ...node.options.flatMap((o) => o.flags), ...node.argumentChoices];
    return [
      `    '${key}')`,
      ...(valueCases.length ? ['      case "$prev" in', ...valueCases, '      esac'] : []),
      `      COMPREPLY=( $(compgen -W '${words(candidates)}' -- "$cur") ) ;;`,
    ].join('\n');
  });
  const commandNames = nodes.filter((n) => n.path.length > 0).map((n) => n.path.join(' '));
  return `# lab completion for bash: source <(lab completion bash)
_lab_completion() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" word i
  # The command path is the longest run of known command names among the words typed so far.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case " \${path:+$path }$word" in
${commandNames.map((c) => `      ' ${c}') path="${c}" ;;`).join('\n')}
    esac
  done
  case "$path" in
${cases.join('\n')}
  esac
}
complete -F _lab_completion lab
`;
}

function renderFish(nodes: Node[]): string {
  const lines = ['# lab completion for fish: lab completion fish | source', 'complete -c lab -f'];
  for (const node of nodes) {
    const condition = fishCondition(node, nodes);
    for (const sub of node.subcommands) lines.push(`complete -c lab -n '${condition}' -a ${sub.name} -d ${fishQuote(sub.description)}`);
    if (node.argumentChoices.length) lines.push(`complete -c lab -n '${condition}' -a '${words(node.argumentChoices)}'`);
    for (const option of node.options) {
      const names = option.flags.map((f) => (f.startsWith('--') ? `-l ${f.slice(2)}` : `-s ${f.slice(1)}`)).join(' ');
      const value = option.takesValue ? (option.choices.length ? ` -x -a '${words(option.choices)}'` : ' -r') : '';
      lines.push(`complete -c lab -n '${condition}' ${names}${value} -d ${fishQuote(option.description)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** fish: true when the words typed so far name exactly this command path (and no deeper subcommand). */
function fishCondition(node: Node, nodes: Node[]): string {
  if (node.path.length === 0) return '__fish_use_subcommand';
  const children = nodes.find((n) => n.path.join(' ') === node.path.join(' '))?.subcommands.map((s) => s.name) ?? [];
  const seen = node.path.map((p) => `__fish_seen_subcommand_from ${p}`).join('; and ');
  return children.length ? `${seen}; and not __fish_seen_subcommand_from ${children.join(' ')}` : seen;
}

function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
