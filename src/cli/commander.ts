import { createRequire } from 'node:module';
import type * as Commander from 'commander';

/**
 * commander's classes, loaded with require(): commander is CommonJS, and `import { Command } from
 * 'commander'` goes through its ESM wrapper and Node's CommonJS translator (which parses the source
 * for its export names), about 4 ms of every `lab` start, that bench/cold-start.ts holds to 1.5x
 * `node -e 0`. Import commander's values from here; types may still come from 'commander'
 * (eslint.config.js allows only type imports of it elsewhere).
 */
const commander = createRequire(import.meta.url)('commander') as typeof Commander;

export const { Argument, Command, CommanderError, InvalidArgumentError, Option } = commander;
export type Argument = Commander.Argument;
export type Command = Commander.Command;
export type CommanderError = Commander.CommanderError;
export type InvalidArgumentError = Commander.InvalidArgumentError;
export type Option = Commander.Option;
