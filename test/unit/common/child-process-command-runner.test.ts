import { describe, expect, it } from 'vitest';
import { CommandError } from '../../../src/common/command-runner.js';
import { ChildProcessCommandRunner } from '../../../src/common/child-process-command-runner.js';

const runner = new ChildProcessCommandRunner();

describe('ChildProcessCommandRunner', () => {
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

  it('joins a line written in two pieces and hands over a last line without a newline', async () => {
    const lines: string[] = [];
    const script = 'process.stdout.write("hel"); setTimeout(() => process.stdout.write("lo\\nwor"), 50); setTimeout(() => process.stdout.write("ld"), 100)';
    const result = await runner.run(process.execPath, ['-e', script], { onLine: (l) => lines.push(l) });
    expect(lines).toEqual(['hello', 'world']);
    expect(result.stdout).toBe('hello\nworld');
  });

  it('kills a command past its timeout and says so in the cause', async () => {
    const started = Date.now();
    const error = await runner.run(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).result).toBeUndefined();
    expect((error as CommandError).cause).toMatchObject({ timedOut: true, signal: 'SIGTERM' });
    expect((error as CommandError).message).toContain('timed out after 200 milliseconds');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('kills a command when its signal aborts', async () => {
    const controller = new AbortController();
    const running = runner.run(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const error = await running.catch((e: unknown) => e);
    expect((error as CommandError).cause).toMatchObject({ isCanceled: true, timedOut: false });
  });

  it('does not start a command whose signal is already aborted', async () => {
    const error = await runner.run(process.execPath, ['-e', 'require("fs").writeFileSync(1, "ran")'], { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((error as CommandError).cause).toMatchObject({ isCanceled: true });
    expect((error as CommandError).result).toBeUndefined();
  });
});
