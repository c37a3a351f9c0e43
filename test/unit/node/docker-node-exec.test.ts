import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChildProcessCommandRunner } from '../../../src/common/child-process-command-runner.js';
import { ExecaDockerCli } from '../../../src/docker/docker-cli.js';
import { DockerNodeExec } from '../../../src/node/docker-node-exec.js';
import { execInNode } from '../../../src/node/exec-in-node.js';
import { NodeExecTimeoutError } from '../../../src/node/node-exec-timeout-error.js';
import { TEST_DOCKER_ENDPOINT } from '../support/fake-docker.js';
import { useScratchDirs } from '../support/scratch-dirs.js';

/**
 * A real child process stands in for `docker`: it writes its pid and argv, then hangs like a
 * `docker exec` whose crictl is stuck. The test checks that the process is really gone afterwards.
 */
function stuckDocker(dir: string): string {
  const path = join(dir, 'docker');
  writeFileSync(path, `#!/bin/sh\necho $$ > "${dir}/pid"\nprintf '%s\\n' "$@" > "${dir}/argv"\nexec sleep 600\n`);
  chmodSync(path, 0o700);
  return path;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForFile(path: string): Promise<string> {
  for (let i = 0; i < 200 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 10));
  return readFileSync(path, 'utf8');
}

describe('DockerNodeExec', () => {
  const scratch = useScratchDirs('kindlab-node-exec-');

  it('kills a stuck docker exec at the timeout; the error names the command, ready to paste', async () => {
    const dir = scratch();
    const exec = new DockerNodeExec(new ExecaDockerCli(new ChildProcessCommandRunner(), TEST_DOCKER_ENDPOINT, stuckDocker(dir)));
    const error = await exec.exec('hd-worker', ['crictl', 'ps', '-o', 'json'], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeExecTimeoutError);
    expect((error as Error).message).toBe('`docker exec hd-worker crictl ps -o json` did not finish within 0.3 s (stopped)');
    const pid = Number(await waitForFile(join(dir, 'pid')));
    expect(isAlive(pid)).toBe(false);
    // Inside the node the command runs under coreutils timeout, so it ends there too.
    expect(readFileSync(join(dir, 'argv'), 'utf8').trim().split('\n')).toEqual([
      'exec',
      'hd-worker',
      'timeout',
      '--kill-after=2',
      '3',
      'crictl',
      'ps',
      '-o',
      'json',
    ]);
  });

  it('an abort kills the docker exec and rejects with the abort reason', async () => {
    const dir = scratch();
    const exec = new DockerNodeExec(new ExecaDockerCli(new ChildProcessCommandRunner(), TEST_DOCKER_ENDPOINT, stuckDocker(dir)));
    const controller = new AbortController();
    const running = exec.exec('hd-control-plane', ['ps', '-ww', '-eo', 'pid,ppid,args'], { signal: controller.signal });
    const pid = Number(await waitForFile(join(dir, 'pid')));
    controller.abort(new Error('interrupted'));
    await expect(running).rejects.toThrow('interrupted');
    expect(isAlive(pid)).toBe(false);
  });

  it('execInNode gives each command the default timeout and names a failed command', async () => {
    const dir = scratch();
    const docker = join(dir, 'docker');
    writeFileSync(docker, '#!/bin/sh\nprintf "%s\\n" "$@" > "$(dirname "$0")/argv"\necho "crictl: command not found" >&2\nexit 127\n');
    chmodSync(docker, 0o700);
    const exec = new DockerNodeExec(new ExecaDockerCli(new ChildProcessCommandRunner(), TEST_DOCKER_ENDPOINT, docker));
    await expect(execInNode(exec, 'hd-worker', ['crictl', 'ps'])).rejects.toMatchObject({
      message: 'failed to run `docker exec hd-worker crictl ps` (exit 127): crictl: command not found',
      notInstalled: true,
    });
    expect(readFileSync(join(dir, 'argv'), 'utf8').trim().split('\n').slice(0, 5)).toEqual(['exec', 'hd-worker', 'timeout', '--kill-after=2', '32']);
  });

  it('runs unwrapped in a node whose image has no timeout (distroless etcd), and remembers that per node', async () => {
    const dir = scratch();
    const docker = join(dir, 'docker');
    // Recorded on Docker 20.10.24 / CLI 28.2.2: `docker exec <external etcd> timeout --kill-after=2 3 etcdctl version`
    // in a container of kindlab/etcd:v3.6.5, exit 126, the message on stdout (stderr empty).
    const missing = 'OCI runtime exec failed: exec failed: unable to start container process: exec: "timeout": executable file not found in $PATH: unknown';
    writeFileSync(
      docker,
      `#!/bin/sh\necho "$*" >> "${dir}/calls"\nif [ "$3" = timeout ]; then echo '${missing}'; exit 126; fi\necho "etcdctl version: 3.6.5"\n`,
    );
    chmodSync(docker, 0o700);
    const exec = new DockerNodeExec(new ExecaDockerCli(new ChildProcessCommandRunner(), TEST_DOCKER_ENDPOINT, docker));
    expect(await execInNode(exec, 'hd-external-etcd', ['etcdctl', 'version'])).toBe('etcdctl version: 3.6.5\n');
    expect(await execInNode(exec, 'hd-external-etcd', ['etcdctl', 'version'])).toBe('etcdctl version: 3.6.5\n');
    expect(readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n')).toEqual([
      'exec hd-external-etcd timeout --kill-after=2 32 etcdctl version',
      'exec hd-external-etcd etcdctl version',
      'exec hd-external-etcd etcdctl version',
    ]);
  });
});
