import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultLabDeps } from '../../../src/cluster/lab-deps.js';
import { defaultDockerCli } from '../../../src/docker/default-docker-cli.js';
import { defaultInspectDependencies } from '../../../src/inspect/default-inspect-dependencies.js';
import { useCleanEnv } from '../support/clean-env.js';
import { FakeRunner } from '../support/fake-runner.js';

const FIXTURE_CONFIG = new URL('../../fixtures/docker-config', import.meta.url).pathname;
const KEYS = ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_CONFIG', 'KINDLAB_KIND', 'KINDLAB_HOME'] as const;
/** A real file: kind's version is recorded against the binary's identity (in a throwaway KINDLAB_HOME). */
const scratch = mkdtempSync(join(tmpdir(), 'kindlab-pinned-'));
const KIND = join(scratch, 'kind');
writeFileSync(KIND, '#!/bin/sh\n', { mode: 0o755 });

describe('one endpoint for kindlab and kind', () => {
  useCleanEnv(KEYS);
  beforeEach(() => {
    process.env.KINDLAB_HOME = mkdtempSync(join(scratch, 'home-'));
  });

  it('inspect (docker CLI) and kind (lab up/down) get the same context, chosen by the Docker config alone', async () => {
    process.env.DOCKER_CONFIG = FIXTURE_CONFIG; // currentContext: kindlab-fixture, no DOCKER_HOST
    process.env.KINDLAB_KIND = KIND;
    const runner = new FakeRunner(({ command, args }) => {
      if (command === KIND && args[0] === 'version') return { stdout: 'kind v0.30.0 go1.26.8 linux/amd64\n' };
      if (command === 'docker' && args[0] === 'ps') return { stdout: '' };
      return undefined;
    });

    await defaultInspectDependencies(defaultDockerCli(runner)).containers.listClusters();
    const lab = defaultLabDeps(runner);
    await lab.docker.containersWithLabel('io.x-k8s.kind.cluster');
    await (await lab.kind()).getKubeconfig('demo');

    const pinned = { DOCKER_CONTEXT: 'kindlab-fixture', DOCKER_HOST: undefined, DOCKER_CONFIG: FIXTURE_CONFIG };
    const dockerCalls = runner.calls.filter((c) => c.command === 'docker');
    const kindCalls = runner.calls.filter((c) => c.command === KIND && c.args[0] !== 'version');
    expect(dockerCalls).toHaveLength(2);
    expect(kindCalls.map((c) => c.args.join(' '))).toEqual(['get kubeconfig --name demo']);
    for (const call of [...dockerCalls, ...kindCalls]) expect(call.options.env).toEqual(pinned);
    expect(lab.docker.endpoint.host).toBe('unix:///run/kindlab-fixture/docker.sock');
  });

  it('with DOCKER_HOST set, both get DOCKER_HOST and no context', async () => {
    process.env.DOCKER_CONFIG = FIXTURE_CONFIG;
    process.env.DOCKER_HOST = 'unix:///run/other.sock';
    const runner = new FakeRunner(({ args }) => (args[0] === 'version' ? { stdout: 'kind v0.30.0 go1.26.8 linux/amd64\n' } : undefined));
    process.env.KINDLAB_KIND = KIND;
    await defaultInspectDependencies(defaultDockerCli(runner)).containers.listClusters();
    await (await defaultLabDeps(runner).kind()).deleteCluster('demo', undefined);
    const pinned = { DOCKER_HOST: 'unix:///run/other.sock', DOCKER_CONTEXT: undefined };
    const calls = runner.calls.filter((c) => c.args[0] !== 'version');
    expect(calls.map((c) => c.command)).toEqual(['docker', KIND]);
    for (const call of calls) expect(call.options.env).toEqual(pinned);
  });
});
