import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/build-program.js';

describe('commands load only when they run', () => {
  it('lab --help reads the same whether each command is loaded or only listed', async () => {
    const listed = (await buildProgram([])).helpInformation();
    const loaded = (await buildProgram()).helpInformation();
    expect(listed).toBe(loaded);
    expect(listed).toMatch(/up \[options\] \[topology\] +create a lab/);
  });

  it('lab <command> loads that command in full and lists the others', async () => {
    const program = await buildProgram(['--debug', 'verify', '--expect', 'ha']);
    const options = (name: string) => program.commands.find((c) => c.name() === name)!.options.map((o) => o.long);
    expect(options('verify')).toContain('--probe-timeout');
    expect(options('tour')).toEqual(['--listed-only']);
  });

  it('lab help <command> loads that command for its help', async () => {
    const program = await buildProgram(['help', 'tour']);
    expect(program.commands.find((c) => c.name() === 'tour')!.options.map((o) => o.long)).toContain('--wait');
  });
});
