/**
 * commander's values, imported in one place (eslint.config.js allows only type imports of it elsewhere).
 * The shipped `lab` is bundled (scripts/bundle-cli.mjs), so commander's CommonJS is inlined and costs no
 * CommonJS translation at start (bench/cold-start.ts holds `lab --help` to 1.5x `node -e 0`).
 */
import * as commander from 'commander';
import type * as Commander from 'commander';

export const { Argument, Command, CommanderError, InvalidArgumentError, Option } = commander;
export type Argument = Commander.Argument;
export type Command = Commander.Command;
export type CommanderError = Commander.CommanderError;
export type InvalidArgumentError = Commander.InvalidArgumentError;
export type Option = Commander.Option;
