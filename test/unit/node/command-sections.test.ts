import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChildProcessCommandRunner } from '../../../src/common/child-process-command-runner.js';
import { ExecaDockerCli } from '../../../src/docker/docker-cli.js';
import { DockerNodeExec } from '../../../src/node/docker-node-exec.js';
import { execEachInNode, stdoutOf } from '../../../src/node/exec-in-node.js';
import { TEST_DOCKER_ENDPOINT } from '../support/fake-docker.js';
import { useScratchDirs } from '../support/scratch-dirs.js';

const fixture = (path: string) => new URL(`../../fixtures/${path}`, import.meta.url).pathname;
/**
 * A `docker` that runs `docker exec NODE ARGV...` on this host: the real `sh` runs the real
 * COMMAND_SECTIONS_SCRIPT (under the real coreutils `timeout` when a timeout is given), and every
 * command's output is a recording from a real node (`cat` of the fixture).
 */
function localDocker(dir: string): DockerNodeExec {
  const path = join(dir, 'docker');
  writeFileSync(path, `#!/bin/sh\necho "$2 $3" >> "${dir}/calls"\nshift 2\nexec "$@"\n`);
  chmodSync(path, 0o700);
  return new DockerNodeExec(new ExecaDockerCli(new ChildProcessCommandRunner(), TEST_DOCKER_ENDPOINT, path));
}

describe('DockerNodeExec.execEach', () => {
  const scratch = useScratchDirs('kindlab-sections-');

  it('runs every command in one docker exec and hands each its own output, exit code and stderr, in order', async () => {
    const dir = scratch();
    const exec = localDocker(dir);
    const argvs = [
      ['cat', fixture('raw/ha/insp-ha-worker.ps.txt')],
      ['cat', fixture('raw/cgroup/ha-control-plane.cgroup-v1.txt')],
      ['cat', fixture('raw/ha/insp-ha-worker.crictl-pods.txt')],
      ['printf', '%s', 'no newline at the end'],
      ['sh', '-c', 'echo "crictl: connection refused" >&2; exit 3'],
      ['kindlab-no-such-program'],
      // Arguments reach the command as they are: nothing is parsed by the shell.
      ['printf', '%s\n', 'two words', '$(echo injected)', "'", '"$@"', ''],
      ['cat', fixture('raw/ha/insp-ha-worker.crictl-inspect.txt')],
    ];
    const results = await execEachInNode(exec, 'hq-worker', argvs);

    expect(readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n')).toEqual(['hq-worker timeout']);
    expect(results).toHaveLength(argvs.length);
    expect(results.slice(0, 3).map((r) => stdoutOf(exec, 'hq-worker', ['cat'], r))).toEqual([
      readFileSync(fixture('raw/ha/insp-ha-worker.ps.txt'), 'utf8'),
      readFileSync(fixture('raw/cgroup/ha-control-plane.cgroup-v1.txt'), 'utf8'),
      readFileSync(fixture('raw/ha/insp-ha-worker.crictl-pods.txt'), 'utf8'),
    ]);
    expect(results[3]).toEqual({ exitCode: 0, stdout: 'no newline at the end', stderr: '' });
    expect(results[4]).toEqual({ exitCode: 3, stdout: '', stderr: 'crictl: connection refused\n' });
    expect(results[5]!.exitCode).toBe(127);
    expect(results[5]!.stderr).toContain('kindlab-no-such-program');
    expect(() => stdoutOf(exec, 'hq-worker', argvs[5]!, results[5]!)).toThrow(expect.objectContaining({ notInstalled: true }));
    expect(results[6]).toEqual({ exitCode: 0, stdout: `two words\n$(echo injected)\n'\n"$@"\n\n`, stderr: '' });
    expect(results[7]!.stdout).toBe(readFileSync(fixture('raw/ha/insp-ha-worker.crictl-inspect.txt'), 'utf8'));
  });

  it('runs them one by one in a node without sh (distroless etcd), and remembers that per node', async () => {
    const dir = scratch();
    const docker = join(dir, 'docker');
    // The runtime's refusal in the form recorded for `timeout` in docker-node-exec.test.ts, for `sh`.
    const missing = (program: string) =>
      `OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown`;
    writeFileSync(
      docker,
      `#!/bin/sh\nif [ "$3" = sh ]; then echo "exec $2 sh -c SCRIPT" >> "${dir}/calls"; else echo "$*" >> "${dir}/calls"; fi\nif [ "$3" = sh ]; then echo '${missing('sh')}'; exit 127; fi\necho "ran $3"\n`,
    );
    chmodSync(docker, 0o700);
    const exec = new DockerNodeExec(new ExecaDockerCli(new ChildProcessCommandRunner(), TEST_DOCKER_ENDPOINT, docker));
    const argvs = [
      ['etcdctl', 'version'],
      ['cat', '/etc/hostname'],
    ];
    expect((await exec.execEach('hq-external-etcd', argvs)).map((r) => r.stdout)).toEqual(['ran etcdctl\n', 'ran cat\n']);
    expect((await exec.execEach('hq-external-etcd', argvs)).map((r) => r.stdout)).toEqual(['ran etcdctl\n', 'ran cat\n']);
    const calls = readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
    expect(calls.filter((c) => c === 'exec hq-external-etcd sh -c SCRIPT')).toHaveLength(1);
    expect(calls.filter((c) => c !== 'exec hq-external-etcd sh -c SCRIPT')).toEqual([
      'exec hq-external-etcd etcdctl version',
      'exec hq-external-etcd cat /etc/hostname',
      'exec hq-external-etcd etcdctl version',
      'exec hq-external-etcd cat /etc/hostname',
    ]);
  });
});
