import { describe, expect, it } from 'vitest';
import { ExecaKindCli } from '../../../src/cluster/kind-cli.js';
import { buildTopologySpec } from '../../../src/topology/build-topology-spec.js';
import { renderKindConfig } from '../../../src/topology/render-kind-config.js';
import { FakeRunner } from '../support/fake-runner.js';

describe('ExecaKindCli', () => {
  it('creates a cluster with the rendered config on stdin (--config -)', async () => {
    const runner = new FakeRunner();
    const shims: Array<[string, string]> = [];
    let disposed = 0;
    const shim = async (lab: string, runId: string) => {
      shims.push([lab, runId]);
      return { env: { PATH: '/tmp/shim:/usr/bin', KINDLAB_RUN_ID: runId }, dispose: () => void disposed++ };
    };
    const kind = new ExecaKindCli(runner, '/opt/kind', {}, shim);
    const { yaml } = renderKindConfig(buildTopologySpec({ kind: 'multi', name: 'demo' }));
    const signal = new AbortController().signal;
    await kind.createCluster({
      name: 'demo',
      configYaml: yaml,
      image: 'kindlab/node:v1.34.4',
      kubeconfig: '/tmp/kc',
      labels: { lab: 'demo', runId: 'r1' },
      signal,
    });
    expect(runner.calls).toHaveLength(1);
    const call = runner.calls[0]!;
    expect(call.command).toBe('/opt/kind');
    // Always --retain: kind's own failure cleanup deletes by cluster name; kindlab's removes by run id.
    expect(call.args).toEqual([
      'create',
      'cluster',
      '--name',
      'demo',
      '--config',
      '-',
      '--image',
      'kindlab/node:v1.34.4',
      '--kubeconfig',
      '/tmp/kc',
      '--retain',
    ]);
    expect(call.options.input).toBe(yaml);
    expect(call.options.signal).toBe(signal);
    // kind runs with the docker label shim first on PATH, removed afterwards.
    expect(shims).toEqual([['demo', 'r1']]);
    expect(call.options.env).toEqual({ PATH: '/tmp/shim:/usr/bin', KINDLAB_RUN_ID: 'r1' });
    expect(disposed).toBe(1);
  });

  it('removes the shim directory when kind fails', async () => {
    const runner = new FakeRunner(() => ({ exitCode: 1, stderr: 'ERROR: failed to create cluster' }));
    let disposed = 0;
    const kind = new ExecaKindCli(runner, 'kind', {}, async () => ({ env: {}, dispose: () => void disposed++ }));
    await expect(kind.createCluster({ name: 'd', configYaml: 'x', image: 'i', kubeconfig: '/k', labels: { lab: 'd', runId: 'r' } })).rejects.toThrow(
      /failed to run kind/,
    );
    expect(disposed).toBe(1);
  });

  it('deletes with the kubeconfig recorded at lab up, and reads the host kubeconfig', async () => {
    const runner = new FakeRunner(({ args }) => (args[0] === 'get' ? { stdout: 'apiVersion: v1\n' } : undefined));
    const kind = new ExecaKindCli(runner, 'kind');
    await kind.deleteCluster('demo', '/tmp/kc');
    await kind.deleteCluster('demo', undefined);
    expect(await kind.getKubeconfig('demo')).toBe('apiVersion: v1\n');
    expect(runner.calls.map((c) => c.args)).toEqual([
      ['delete', 'cluster', '--name', 'demo', '--kubeconfig', '/tmp/kc'],
      ['delete', 'cluster', '--name', 'demo'],
      ['get', 'kubeconfig', '--name', 'demo'],
    ]);
  });
});
