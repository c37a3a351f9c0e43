import { describe, expect, it } from 'vitest';
import { CommandError } from '../../../src/common/command-runner.js';
import { ExecaCommandRunner } from '../../../src/common/execa-command-runner.js';

const runner = new ExecaCommandRunner();

describe('ExecaCommandRunner', () => {
  it('passes argv without a shell and feeds stdin', async () => {
    const result = await runner.run(process.execPath, ['-e', 'process.stdin.pipe(process.stdout)'], { input: '$(echo no) `x`' });
    expect(result.stdout).toBe('$(echo no) `x`');
    expect(result.exitCode).toBe(0);
  });

  it('throws a CommandError with the command ready to paste', async () => {
    const failing = runner.run(process.execPath, ['-e', 'console.error("boom"); process.exit(3)']);
    await expect(failing).rejects.toBeInstanceOf(CommandError);
    await failing.catch((error: CommandError) => {
      expect(error.message).toContain('failed to run');
      expect(error.message).toContain('exit 3');
      expect(error.message).toContain(`$ ${process.execPath} -e 'console.error("boom"); process.exit(3)'`);
      expect(error.message).toContain('boom');
      expect(error.result?.exitCode).toBe(3);
    });
  });

  it('returns the exit code when failure is allowed', async () => {
    const result = await runner.run(process.execPath, ['-e', 'process.exit(4)'], { allowFailure: true });
    expect(result.exitCode).toBe(4);
  });

  it('reports a missing program as a CommandError', async () => {
    await expect(runner.run('/nonexistent/kindlab-program', [])).rejects.toThrow(/failed to run \/nonexistent\/kindlab-program/);
  });

  it('streams lines to onLine', async () => {
    const lines: string[] = [];
    await runner.run(process.execPath, ['-e', 'console.log("a"); console.error("b"); console.log("c")'], { onLine: (l) => lines.push(l) });
    expect(lines.sort()).toEqual(['a', 'b', 'c']);
  });
});
