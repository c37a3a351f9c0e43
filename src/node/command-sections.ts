import { randomBytes } from 'node:crypto';
import { KindlabError } from '../common/kindlab-error.js';
import type { NodeExecResult } from './node-exec.js';

/**
 * Runs several commands, one after another, in one `sh` and marks where each one's output starts
 * and ends, so a node is read with one exec instead of one per command.
 *
 * "No shell strings": the script below is a fixed constant; nothing is ever spliced into it. Every
 * variable (the separator, each command's argv) reaches it as a positional argument (`sh -c SCRIPT
 * sh SEPARATOR N1 ARGV1... N2 ARGV2...`, each argv preceded by its length) and each command runs as
 * `exec "$@"` of exactly its own words, so no argument is ever parsed by the shell.
 *
 * Output, per command i: on stdout `SEPARATOR i`, the command's stdout, then `\nSEPARATOR i exit CODE`;
 * on stderr `SEPARATOR i` before the command's stderr. The separator is random per run, so a command's
 * output cannot end a section early.
 */
export const COMMAND_SECTIONS_SCRIPT = `sep=$1
shift
i=0
while [ "$#" -gt 0 ]; do
  n=$1
  shift
  printf '%s %s\\n' "$sep" "$i"
  printf '%s %s\\n' "$sep" "$i" >&2
  (
    j=0
    for a do
      shift
      if [ "$j" -lt "$n" ]; then set -- "$@" "$a"; fi
      j=$((j + 1))
    done
    exec "$@"
  )
  code=$?
  printf '\\n%s %s exit %s\\n' "$sep" "$i" "$code"
  shift "$n"
  i=$((i + 1))
done`;

/** A separator line no recorded output contains. */
export function newSectionSeparator(): string {
  return `kindlab-section-${randomBytes(16).toString('hex')}`;
}

/** The argv that runs every command of `argvs` under COMMAND_SECTIONS_SCRIPT. */
export function commandSectionsArgv(separator: string, argvs: readonly (readonly string[])[]): string[] {
  return ['sh', '-c', COMMAND_SECTIONS_SCRIPT, 'sh', separator, ...argvs.flatMap((argv) => [String(argv.length), ...argv])];
}

/**
 * Splits the output of commandSectionsArgv into one result per command, in order; undefined when the
 * output is not complete (the shell did not run, or was stopped before the last command ended).
 */
export function splitCommandSections(separator: string, count: number, result: NodeExecResult): NodeExecResult[] | undefined {
  const sections: NodeExecResult[] = [];
  let stdoutAt = 0;
  let stderrAt = 0;
  for (let i = 0; i < count; i++) {
    const begin = `${separator} ${i}\n`;
    if (!result.stdout.startsWith(begin, stdoutAt)) return undefined;
    const end = new RegExp(`\\n${separator} ${i} exit (\\d+)\\n`, 'y');
    const endAt = result.stdout.indexOf(`\n${separator} ${i} exit `, stdoutAt + begin.length);
    if (endAt < 0) return undefined;
    end.lastIndex = endAt;
    const match = end.exec(result.stdout);
    if (!match) return undefined;
    const stdout = result.stdout.slice(stdoutAt + begin.length, endAt);
    stdoutAt = end.lastIndex;

    if (!result.stderr.startsWith(begin, stderrAt)) return undefined;
    const nextStderr = result.stderr.indexOf(`${separator} ${i + 1}\n`, stderrAt + begin.length);
    const stderrEnd = i + 1 < count && nextStderr >= 0 ? nextStderr : result.stderr.length;
    const stderr = result.stderr.slice(stderrAt + begin.length, stderrEnd);
    stderrAt = stderrEnd;

    sections.push({ exitCode: Number(match[1]), stdout, stderr });
  }
  return stdoutAt === result.stdout.length ? sections : undefined;
}

/**
 * Runs `argvs` as one command through `run` and splits its output; `sections` is undefined when the
 * output is incomplete (then `result` says why, and `error()` is the failure naming the command).
 */
export async function runInSections(
  run: (argv: readonly string[]) => Promise<NodeExecResult>,
  argvs: readonly (readonly string[])[],
  command: (argv: readonly string[]) => string,
): Promise<{ sections: NodeExecResult[] | undefined; result: NodeExecResult; error(): KindlabError }> {
  const separator = newSectionSeparator();
  const argv = commandSectionsArgv(separator, argvs);
  const result = await run(argv);
  return {
    sections: splitCommandSections(separator, argvs.length, result),
    result,
    error: () =>
      new KindlabError(
        `failed to run \`${command(argv)}\` (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().slice(0, 400) || 'incomplete output'}`,
      ),
  };
}
