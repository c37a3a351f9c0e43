import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DEFAULT_DOCKER_HOST } from '../../../src/docker/resolve-docker-endpoint.js';
import type { PrivateDockerDaemon } from '../support/private-docker-daemon.js';
import { runLab } from '../support/run-lab.js';

interface VersionJson {
  nodeImage: { present: boolean | null };
  docker: { serverVersion: string | null; error: string | null };
}

async function versionVia(dockerHost: string, env: Record<string, string | undefined>): Promise<VersionJson> {
  const run = await runLab(['version', '--docker', '-o', 'json', '--docker-host', dockerHost], { env });
  expect(run.exitCode, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as VersionJson;
}

/**
 * `lab --docker-host URL` (issue 13 item 4): the daemon it names, whatever DOCKER_HOST and the contexts
 * say. The machine's daemon through a unix URL that is not the default (a link to its socket), and the
 * private daemon beside it, told apart by what each holds (the node image only on the machine's).
 */
export function registerDockerHostChecks(daemon: () => PrivateDockerDaemon): void {
  it('lab --docker-host reaches the daemon it names, whatever DOCKER_HOST says', async () => {
    const link = join(mkdtempSync(join(tmpdir(), 'kindlab-e2e-docker-host-')), 'machine.sock');
    symlinkSync(new URL(DEFAULT_DOCKER_HOST).pathname, link);
    const machine = await versionVia(`unix://${link}`, { DOCKER_HOST: 'unix:///nonexistent.sock', DOCKER_CONTEXT: undefined });
    expect(machine.docker.error).toBeNull();
    expect(machine.nodeImage.present).toBe(true);

    const onPrivate = { DOCKER_HOST: DEFAULT_DOCKER_HOST, DOCKER_CONTEXT: undefined };
    const privateDaemon = await versionVia(daemon().host, onPrivate);
    expect(privateDaemon.docker.error).toBeNull();
    expect(privateDaemon.nodeImage.present).toBe(false);
    const list = await runLab(['list', '-o', 'json', '--docker-host', daemon().host], { env: onPrivate });
    expect([list.exitCode, JSON.parse(list.stdout)], list.stderr).toEqual([0, []]);

    const nowhere = await versionVia('unix:///nonexistent-docker-host.sock', onPrivate);
    expect(nowhere.docker.error).toMatch(/^failed to reach the Docker daemon at unix:\/\/\/nonexistent-docker-host\.sock \(from --docker-host\)/);
  });
}
