import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { buildTopologySpec } from '../../../src/topology/build-topology-spec.js';
import { checkKindConfig, renderKindConfig } from '../../../src/topology/render-kind-config.js';
import type { KindClusterConfig } from '../../../src/topology/kind-config.js';

const ETCD = 'http://golden-external-etcd:2379';

// Golden files hold the full text given to `kind create cluster --config -`; regenerate with `npx vitest run -u` and review the diff.
describe('renderKindConfig golden output', () => {
  it.each([
    ['single', buildTopologySpec({ kind: 'single', name: 'golden', ports: ['8080:80'] })],
    ['multi', buildTopologySpec({ kind: 'multi', name: 'golden' })],
    ['ha', buildTopologySpec({ kind: 'ha', name: 'golden' })],
    ['multi-external-etcd', buildTopologySpec({ kind: 'multi', name: 'golden', etcd: 'external', workers: 2 })],
    ['ha-5-external-etcd', buildTopologySpec({ kind: 'ha', name: 'golden', etcd: 'external', controlPlanes: 5, workers: 2 })],
  ])('%s', async (file, spec) => {
    const rendered = renderKindConfig(spec, { externalEtcdEndpoint: ETCD });
    await expect(rendered.yaml).toMatchFileSnapshot(`./golden/${file}.yaml`);
  });
});

describe('renderKindConfig', () => {
  it('has exactly the nodes of the topology, all labelled with the lab', () => {
    const { config } = renderKindConfig(buildTopologySpec({ kind: 'ha', name: 'x', controlPlanes: 5, workers: 2 }));
    expect(config.nodes.map((n) => n.role)).toEqual(['control-plane', 'control-plane', 'control-plane', 'control-plane', 'control-plane', 'worker', 'worker']);
    for (const node of config.nodes) {
      expect(node.labels).toEqual({ 'dev.kindlab.lab': 'x', 'dev.kindlab.topology': 'ha', 'dev.kindlab.etcd': 'stacked' });
    }
  });

  it('puts port mappings on the first control plane only', () => {
    const { config } = renderKindConfig(buildTopologySpec({ kind: 'multi', name: 'x', ports: ['8080:80'] }));
    expect(config.nodes[0]?.extraPortMappings).toEqual([{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }]);
    expect(config.nodes.slice(1).every((n) => n.extraPortMappings === undefined)).toBe(true);
  });

  it('gives external etcd as a ClusterConfiguration patch without apiVersion', () => {
    const { config } = renderKindConfig(buildTopologySpec({ kind: 'multi', name: 'x', etcd: 'external' }), { externalEtcdEndpoint: ETCD });
    expect(config.kubeadmConfigPatches).toHaveLength(1);
    const patch = load(config.kubeadmConfigPatches?.[0] as string) as Record<string, unknown>;
    expect(patch).toEqual({ kind: 'ClusterConfiguration', etcd: { external: { endpoints: [ETCD] } } });
    expect(patch).not.toHaveProperty('apiVersion');
  });

  it('has no kubeadm patch with stacked etcd', () => {
    expect(renderKindConfig(buildTopologySpec({ kind: 'ha' })).config.kubeadmConfigPatches).toBeUndefined();
  });

  it('refuses external etcd without an endpoint', () => {
    expect(() => renderKindConfig(buildTopologySpec({ etcd: 'external' }))).toThrow(/needs its endpoint/);
  });

  it('round-trips: the YAML given to kind parses back to the typed config', () => {
    const rendered = renderKindConfig(buildTopologySpec({ kind: 'multi', etcd: 'external' }), { externalEtcdEndpoint: ETCD });
    expect(load(rendered.yaml)).toEqual(rendered.config);
  });
});

describe('checkKindConfig (templates/kind-config.schema.json)', () => {
  const valid = (): KindClusterConfig => ({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', name: 'x', nodes: [{ role: 'control-plane' }] });

  it('accepts a minimal config', () => expect(() => checkKindConfig(valid())).not.toThrow());

  it.each([
    [(c: KindClusterConfig) => ({ ...c, apiVersion: 'kind.x-k8s.io/v1alpha3' }), /\$\.apiVersion: must be "kind.x-k8s.io\/v1alpha4"/],
    [(c: KindClusterConfig) => ({ ...c, nodes: [{ role: 'worker' }] }), /needs at least one control-plane/],
    [(c: KindClusterConfig) => ({ ...c, nodes: [{ role: 'master' }] }), /\$\.nodes\[0\]\.role: must be one of/],
    [(c: KindClusterConfig) => ({ ...c, nodes: [{ role: 'control-plane', labels: { 'a/b': 'has space' } }] }), /\$\.nodes\[0\]\.labels\.a\/b/],
    [(c: KindClusterConfig) => ({ ...c, kubeadmConfigPatches: ['etcd: {}'] }), /kubeadmConfigPatches\[0\]/],
    [(c: KindClusterConfig) => ({ ...c, nodes: [{ role: 'control-plane', extraPortMappings: [{ containerPort: 80, hostPort: 0 }] }] }), /hostPort: must be >= 1/],
    [(c: KindClusterConfig) => ({ ...c, typo: true }), /\$\.typo: unknown field/],
  ])('refuses invalid config %#', (mutate, message) => {
    expect(() => checkKindConfig(mutate(valid()) as KindClusterConfig)).toThrow(message);
  });
});
