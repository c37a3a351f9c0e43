import { describe, expect, it } from 'vitest';
import { ExecaKindCli } from '../../../src/cluster/kind-cli.js';
import { buildTopologySpec } from '../../../src/topology/build-topology-spec.js';
import { renderKindConfig } from '../../../src/topology/render-kind-config.js';
import { FakeRunner } from '../support/fake-runner.js';

describe('ExecaKindCli', () => {
  it('creates a cluster with the rendered config on stdin (--config -)', async () => {
    const runner = new FakeRunner();
    const kind = new ExecaKindCli(runner, '/opt/kind');
    const { yaml } = renderKindConfig(buildTopologySpec({ kind: 'multi', name: 'demo' }));
    const signal = new AbortController().signal;
    await kind.createCluster({ name: 'demo', configYaml: yaml, image: 'kindlab/node:v1.34.4', kubeconfig: '/tmp/kc', retain: false, signal });
    expect(runner.calls).toHaveLength(1);
    const call = runner.calls[0]!;
    expect(call.command).toBe('/opt/kind');
    expect(call.args).toEqual(['create', 'cluster', '--name', 'demo', '--config', '-', '--image', 'kindlab/node:v1.34.4', '--kubeconfig', '/tmp/kc']);
    expect(call.options.input).toBe(yaml);
    expect(call.options.signal).toBe(signal);
  });

  it('passes --retain through', async () => {
    const runner = new FakeRunner();
    await new ExecaKindCli(runner, 'kind').createCluster({ name: 'd', configYaml: 'x', image: 'i', kubeconfig: '/k', retain: true });
    expect(runner.calls[0]?.args.at(-1)).toBe('--retain');
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
