import type { Command } from 'commander';
import type { CommandRunner } from '../common/command-runner.js';
import { collectVersionInfo, formatVersionInfo } from '../version/collect-version-info.js';
import { addOutputOption } from './add-output-option.js';

/**
 * Imported statically (this module loads only when `lab version` runs, see command-table.ts), so the
 * whole command loads as one module graph; each further module costs about a millisecond of the
 * start, which `lab version` must keep within 1.5x of `node -e 0` (bench/cold-start.ts).
 */
export function registerVersionCommand(command: Command): void {
  const version = command;
  addOutputOption(version, ['text', 'json'])
    .option('--docker', 'also ask the Docker daemon for its version and whether the node image is built (two docker CLI runs)')
    .action(async (flags: { output: string; docker?: boolean }) => {
      const runner = subprocessesOnDemand();
      const docker = flags.docker ? (await import('../docker/default-docker-cli.js')).defaultDockerCli(runner) : undefined;
      const info = await collectVersionInfo(runner, { docker });
      process.stdout.write(flags.output === 'json' ? `${JSON.stringify(info, null, 2)}\n` : formatVersionInfo(info));
    });
}

/** The subprocess runner, loaded at its first run: with kind's version recorded, `lab version` runs nothing. */
function subprocessesOnDemand(): CommandRunner {
  return {
    run: async (command, args, options) =>
      new (await import('../common/child-process-command-runner.js')).ChildProcessCommandRunner().run(command, args, options),
  };
}
