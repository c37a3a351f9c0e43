import { describe, expect, it } from 'vitest';
import { ChildProcessCommandRunner } from '../../../src/common/child-process-command-runner.js';
import { KIND_CLUSTER_LABEL, LAB_COMPONENT_LABEL, LAB_LABEL } from '../../../src/common/labels.js';
import { METADATA_LABEL_KEYS } from '../../../src/cluster/lab-metadata.js';
import { KIND_NETWORK } from '../../../src/cluster/ensure-kind-network.js';
import { defaultDockerCli } from '../../../src/docker/default-docker-cli.js';
import { ExecaDockerCli, type DockerCli } from '../../../src/docker/docker-cli.js';
import { resolveDockerEndpoint } from '../../../src/docker/resolve-docker-endpoint.js';
import type { DockerContextEnv } from '../support/docker-context.js';
import type { LiveLabAccessor } from '../support/live-lab.js';

/** `docker ps` says "Up 5 minutes": the duration may tick between two reads, the state word may not. */
function withoutDuration<T extends { status: string }>(rows: T[]): T[] {
  return rows.map((row) => ({ ...row, status: row.status.split(' ')[0]! }));
}

async function reads(docker: DockerCli, lab: string) {
  const listed = await docker.listAllContainers([KIND_CLUSTER_LABEL, LAB_LABEL, LAB_COMPONENT_LABEL]);
  const ofLab = listed.filter((c) => c.labels[KIND_CLUSTER_LABEL] === lab);
  return {
    listed: withoutDuration(listed),
    volumes: await docker.listVolumes(LAB_LABEL, METADATA_LABEL_KEYS),
    inspected: withoutDuration(await docker.inspectContainers(ofLab)),
    byLabel: withoutDuration(await docker.containersWithLabel(KIND_CLUSTER_LABEL, lab)),
    kindNetwork: await docker.networkAddresses(KIND_NETWORK),
  };
}

/**
 * Listings and inspects read on the daemon's socket (docker-engine-socket.ts) give what the docker
 * CLI gives, on a real lab through a Docker context: the same containers, labels, addresses, volumes.
 */
export function registerDockerSocketChecks(lab: LiveLabAccessor, context: () => DockerContextEnv): void {
  describe('Docker reads on the socket', () => {
    it('give what the docker CLI gives for every listing and inspect of the lab', async () => {
      const env = { ...process.env, ...context().env };
      const runner = new ChildProcessCommandRunner();
      const cliOnly = new ExecaDockerCli(runner, resolveDockerEndpoint(env));
      const [socketFirst, cliAfter] = [await reads(defaultDockerCli(runner, env), lab().name), await reads(cliOnly, lab().name)];
      expect(socketFirst.inspected.map((c) => c.name).sort()).toEqual([...lab().controlPlaneContainers, ...lab().workerContainers].sort());
      expect(socketFirst.byLabel).toEqual(socketFirst.inspected);
      const ofLab = (r: typeof socketFirst) => ({
        inspected: r.inspected,
        byLabel: r.byLabel,
        volumes: r.volumes.filter((v) => v.labels[LAB_LABEL] === lab().name),
      });
      expect(ofLab(socketFirst)).toEqual(ofLab(cliAfter));
      expect(socketFirst.listed.filter((c) => c.labels[KIND_CLUSTER_LABEL] === lab().name)).toEqual(
        cliAfter.listed.filter((c) => c.labels[KIND_CLUSTER_LABEL] === lab().name),
      );
      // Addresses taken on the network are left out: other jobs on this daemon may start or stop containers between the reads.
      expect([socketFirst.kindNetwork.id, socketFirst.kindNetwork.subnet]).toEqual([cliAfter.kindNetwork.id, cliAfter.kindNetwork.subnet]);
      const ownAddresses = (r: typeof socketFirst) => r.inspected.flatMap((c) => Object.values(c.networks).map((n) => n.ipv4));
      for (const address of ownAddresses(socketFirst)) expect(socketFirst.kindNetwork.taken).toContain(address);
    });

    it('docker exec on the socket answers what the docker CLI answers: stdout, stderr, exit code, a missing program, a missing container', async () => {
      const env = { ...process.env, ...context().env };
      const runner = new ChildProcessCommandRunner();
      const onSocket = defaultDockerCli(runner, env);
      const cliOnly = new ExecaDockerCli(runner, resolveDockerEndpoint(env));
      const node = lab().controlPlaneContainers[0]!;
      for (const argv of [['sh', '-c', 'cat /etc/hostname; echo to-stderr >&2; exit 3'], ['no-such-program'], ['head', '-c', '300000', '/dev/zero']]) {
        const [a, b] = [await onSocket.exec(node, argv, { allowFailure: true }), await cliOnly.exec(node, argv, { allowFailure: true })];
        expect({ exitCode: a.exitCode, stdout: a.stdout, stderr: a.stderr }, argv.join(' ')).toEqual({
          exitCode: b.exitCode,
          stdout: b.stdout,
          stderr: b.stderr,
        });
      }
      const missing = `${lab().name}-no-such-node`;
      const [a, b] = [await onSocket.exec(missing, ['true'], { allowFailure: true }), await cliOnly.exec(missing, ['true'], { allowFailure: true })];
      expect([a.exitCode, a.stderr]).toEqual([b.exitCode, b.stderr]);
    });
  });
}
