import type { Command } from 'commander';

/**
 * Each command lives in its own file under src/cli and exports `register<Name>Command(program)`.
 * Commands stay thin: flags -> options -> one domain call.
 */
export function registerCommands(program: Command): void {
  void program;
}
