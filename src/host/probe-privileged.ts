import type { CommandRunner } from '../common/command-runner.js';
import { formatCommand } from '../common/shell-quote.js';
import { LAB_COMPONENT_LABEL } from '../common/labels.js';
import { PROBE_COMPONENT } from './probe-image.js';
import { defaultDockerCli } from '../docker/default-docker-cli.js';

/** runc's message when the spec asks for a capability outside its bounding set. */
export const CAPS_FAILURE = 'unable to apply caps: operation not permitted';

export type PrivilegedProbe = { ok: true } | { ok: false; step: 'run' | 'exec'; command: string; message: string; capsFailure: boolean };

/**
 * kind needs both: nodes are `docker run --privileged`, and every later step is
 * `docker exec --privileged`. Docker 20.10 builds the two specs separately, so both are probed.
 */
export async function probePrivileged(runner: CommandRunner, image: string): Promise<PrivilegedProbe> {
  const label = `${LAB_COMPONENT_LABEL}=${PROBE_COMPONENT}`;
  const runArgs = ['run', '--rm', '--privileged', '--label', label, image, 'true'];
  const run = await defaultDockerCli(runner).run(runArgs, { allowFailure: true, timeoutMs: 60_000 });
  if (run.exitCode !== 0) return failure('run', runArgs, run.stderr);

  const startArgs = ['run', '-d', '--privileged', '--label', label, image, 'sleep', '300'];
  const started = await defaultDockerCli(runner).run(startArgs, { allowFailure: true, timeoutMs: 60_000 });
  if (started.exitCode !== 0) return failure('run', startArgs, started.stderr);
  const id = started.stdout.trim();
  try {
    const execArgs = ['exec', '--privileged', id, '/bin/busybox', 'true'];
    const exec = await defaultDockerCli(runner).run(execArgs, { allowFailure: true, timeoutMs: 60_000 });
    if (exec.exitCode !== 0) return failure('exec', execArgs, exec.stderr || exec.stdout);
    return { ok: true };
  } finally {
    await defaultDockerCli(runner).run(['rm', '-f', id], { allowFailure: true });
  }
}

function failure(step: 'run' | 'exec', args: string[], output: string): PrivilegedProbe {
  // The docker CLI appends "Run 'docker run --help'" after the daemon's error; keep only the error.
  const lines = output
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^(Run|See) 'docker /.test(line));
  const message = lines.slice(-3).join('\n');
  return { ok: false, step, command: formatCommand('docker', args), message, capsFailure: output.includes(CAPS_FAILURE) };
}
