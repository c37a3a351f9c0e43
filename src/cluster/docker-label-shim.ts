import { copyFileSync, chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KindlabError } from '../common/kindlab-error.js';
import { projectRoot } from '../common/paths.js';
import { NodeHostFilesystem } from '../host/node-host-filesystem.js';

/** The shipped shim (POSIX sh); its header says what it does and why. */
export const DOCKER_SHIM_SOURCE = 'libexec/docker-run-labels';

export interface DockerLabelShim {
  /** Environment for kind: PATH with the shim first, plus the values the shim reads. */
  env: Record<string, string>;
  dispose(): void;
}

/**
 * kind v0.30.0 has no way to put Docker labels on its node containers, so kindlab runs kind with a
 * private directory first on PATH whose `docker` is libexec/docker-run-labels: it adds
 * dev.kindlab.lab and dev.kindlab.run to each `docker run` and execs the real docker (resolved here,
 * as an absolute path, before PATH changes). The directory is created 0700 by mkdtemp, so no other
 * user can swap the shim; it is removed once kind has finished. `addresses` (container name -> IPv4)
 * makes it pin those containers' addresses on the kind network (choose-addresses.ts says why).
 */
export async function createDockerLabelShim(lab: string, runId: string, addresses: Record<string, string> = {}): Promise<DockerLabelShim> {
  const realDocker = await new NodeHostFilesystem().findExecutable('docker');
  if (!realDocker) throw new KindlabError('failed to find docker on PATH', { hint: 'run `lab host prepare` to install Docker' });
  const dir = mkdtempSync(join(tmpdir(), 'kindlab-docker-shim-'));
  const shim = join(dir, 'docker');
  copyFileSync(join(projectRoot(), DOCKER_SHIM_SOURCE), shim);
  chmodSync(shim, 0o700);
  return {
    env: {
      PATH: [dir, process.env.PATH ?? ''].filter(Boolean).join(delimiter),
      KINDLAB_REAL_DOCKER: realDocker,
      KINDLAB_RUN_ID: runId,
      KINDLAB_LAB: lab,
      KINDLAB_ADDRESSES: formatAddressList(addresses),
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The shim's KINDLAB_ADDRESSES: `<name>=<ipv4>` pairs separated by spaces. */
export function formatAddressList(addresses: Record<string, string>): string {
  return Object.entries(addresses)
    .map(([name, address]) => `${name}=${address}`)
    .join(' ');
}
