import type { Command } from 'commander';
import { addOutputOption } from './add-output-option.js';

export function registerVersionCommand(command: Command): void {
  const version = command;
  addOutputOption(version, ['text', 'json'])
    .option('--docker', 'also ask the Docker daemon for its version and whether the node image is built (two docker CLI runs)')
    .action(async (flags: { output: string; docker?: boolean }) => {
      // Loaded here so every other command starts without them.
      const [{ ChildProcessCommandRunner }, { collectVersionInfo, formatVersionInfo }] = await Promise.all([
        import('../common/child-process-command-runner.js'),
        import('../version/collect-version-info.js'),
      ]);
      const runner = new ChildProcessCommandRunner();
      const docker = flags.docker ? (await import('../docker/default-docker-cli.js')).defaultDockerCli(runner) : undefined;
      const info = await collectVersionInfo(runner, { docker });
      process.stdout.write(flags.output === 'json' ? `${JSON.stringify(info, null, 2)}\n` : formatVersionInfo(info));
    });
}
