import type { Command } from 'commander';
import { registerDownCommand } from './down-command.js';
import { registerListCommand } from './list-command.js';
import { registerStatusCommand } from './status-command.js';
import { registerUpCommand } from './up-command.js';
import { registerHostCommand } from './host-command.js';
import { registerInspectCommand } from './inspect-command.js';
import { registerReportCommand } from './report-command.js';
import { registerVerifyCommand } from './verify-command.js';
import { registerTourCommand } from './tour-command.js';
import { registerImageCommand } from './image-command.js';
import { registerVersionCommand } from './version-command.js';
import { registerCompletionCommand } from './completion-command.js';

/**
 * Each command lives in its own file under src/cli and exports `register<Name>Command(program)`.
 * Commands stay thin: flags -> options -> one domain call.
 */
export function registerCommands(program: Command): void {
  registerUpCommand(program);
  registerDownCommand(program);
  registerListCommand(program);
  registerStatusCommand(program);
  registerHostCommand(program);
  registerInspectCommand(program);
  registerReportCommand(program);
  registerVerifyCommand(program);
  registerTourCommand(program);
  registerImageCommand(program);
  registerVersionCommand(program);
  registerCompletionCommand(program);
}
