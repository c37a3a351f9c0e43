#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { KindlabError } from '../common/kindlab-error.js';
import { registerCommands } from './register-commands.js';

const program = new Command('lab')
  .description('Provision real Kubernetes clusters with kind and show how they work')
  .option('--debug', 'print diagnostics to stderr')
  .showHelpAfterError()
  .exitOverride();

program.hook('preAction', (cmd) => {
  if (cmd.opts().debug) process.env.KINDLAB_DEBUG = '1';
});

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version exit 0; every other parse problem is a usage error.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof KindlabError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
    if (process.env.KINDLAB_DEBUG && error.cause) process.stderr.write(`cause: ${String((error.cause as Error)?.stack ?? error.cause)}\n`);
    return error.exitCode;
  }
  process.stderr.write(`error: ${(error as Error)?.stack ?? String(error)}\n`);
  return 1;
}
