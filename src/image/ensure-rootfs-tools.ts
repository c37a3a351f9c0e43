import { CommandError, type CommandRunner } from '../common/command-runner.js';
import { aptInstall } from '../host/apt-install.js';

/** Host programs the rootfs stages run: debootstrap, and jq in the node finalize script. */
export const ROOTFS_TOOLS = ['debootstrap', 'jq'] as const;

/**
 * A fresh Debian machine lacks these: install the missing ones from Debian's packages the first
 * time a rootfs stage has to be built. Returns what it installed.
 */
export async function ensureRootfsTools(runner: CommandRunner): Promise<string[]> {
  const missing: string[] = [];
  for (const tool of ROOTFS_TOOLS) {
    try {
      await runner.run(tool, ['--version']);
    } catch (error) {
      // A CommandError without a result means the program could not be started at all.
      if (!(error instanceof CommandError) || error.result !== undefined) throw error;
      missing.push(tool);
    }
  }
  if (missing.length > 0) await aptInstall(runner, missing);
  return missing;
}
