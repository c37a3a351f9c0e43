import type { CommandRunner } from '../common/command-runner.js';

const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive' };

/** Debian packages, non-interactively. The lists are refreshed first: fresh machines have none. */
export async function aptInstall(runner: CommandRunner, packages: readonly string[]): Promise<void> {
  await runner.run('apt-get', ['update'], { env: APT_ENV, timeoutMs: 10 * 60_000 });
  await runner.run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env: APT_ENV, timeoutMs: 20 * 60_000 });
}
