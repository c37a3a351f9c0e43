import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/build-program.js';

/** The flags `lab <args>` hands to the command's action, with the action replaced so nothing runs. */
async function flagsOf(args: string[]): Promise<Record<string, unknown>> {
  const program = await buildProgram();
  let command: Command = program;
  for (const word of args) command = command.commands.find((c) => c.name() === word) ?? command;
  let seen: Record<string, unknown> = {};
  command.action((...received: unknown[]) => {
    seen = received[received.length - 2] as Record<string, unknown>;
  });
  await program.parseAsync(args, { from: 'user' });
  return seen;
}

describe('one spelling per idea, old spellings kept', () => {
  it.each([
    [['verify', '--format', 'junit'], 'junit'],
    [['verify', '-o', 'json'], 'json'],
    [['report', '--format', 'html'], 'html'],
    [['tour', '--format', 'md'], 'md'],
    [['status', '--json'], 'json'],
    [['list'], 'text'],
    [['image', 'list', '--json'], 'json'],
    [['host', 'reset', '--output', 'json'], 'json'],
    [['version', '-o', 'json'], 'json'],
  ])('lab %j prints %s', async (args, output) => {
    expect((await flagsOf(args)).output).toBe(output);
  });

  it.each([
    [['tour', '--wait', '180'], 'wait', 180_000],
    [['tour', '--wait', '3m'], 'wait', 180_000],
    [['tour'], 'wait', 180_000],
    [['verify', '--probe-timeout', '1m30s'], 'probeTimeout', 90_000],
    [['verify', '--probe-timeout', '2.5'], 'probeTimeout', 2_500],
    [['verify'], 'probeTimeout', 90_000],
    [['up', '--wait', '5m'], 'wait', 300_000],
    [['up', '--wait', '300'], 'wait', 300_000],
  ])('lab %j: %s is %d ms', async (args, flag, ms) => {
    expect((await flagsOf(args))[flag]).toBe(ms);
  });

  it('lab up without --wait leaves it to the lab file or the default', async () => {
    expect((await flagsOf(['up'])).wait).toBeUndefined();
  });

  it('help lists the choices and hides the old spellings', async () => {
    const program = await buildProgram();
    const verify = program.commands.find((c) => c.name() === 'verify')!;
    const help = verify.helpInformation().replace(/\s+/g, ' ');
    expect(help).toContain('-o, --output <format> output format (choices: "text", "json", "junit", default: "text")');
    expect(help).toMatch(/--probe-timeout <duration> .*bare number is seconds\) \(default: 90s\)/);
    expect(help).not.toMatch(/--format/);
  });
});
