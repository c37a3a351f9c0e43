import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { buildTopologySpec } from '../../../src/topology/build-topology-spec.js';
import { checkKindConfig, renderKindConfig } from '../../../src/topology/render-kind-config.js';
import type { KindClusterConfig } from '../../../src/topology/kind-config.js';
import { warmSchemas } from '../support/warm-schemas.js';

const ETCD = 'https://golden-external-etcd:2379';
const PKI = '/var/lib/docker/volumes/golden-etcd-pki/_data';
const external = { externalEtcd: { endpoint: ETCD, pkiHostDir: PKI } };

// Golden files hold the full text given to `kind create cluster --config -`; regenerate with `npx vitest run -u` and review the diff.
warmSchemas('kind-config');

describe('renderKindConfig golden output', () => {
  it.each([
    ['single', buildTopologySpec({ kind: 'single', name: 'golden', ports: ['8080:80'] })],
    ['multi', buildTopologySpec({ kind: 'multi', name: 'golden' })],
    ['ha', buildTopologySpec({ kind: 'ha', name: 'golden' })],
    ['single-external-etcd', buildTopologySpec({ kind: 'single', name: 'golden', etcd: 'external' })],
    ['multi-external-etcd', buildTopologySpec({ kind: 'multi', name: 'golden', etcd: 'external', workers: 2 })],
    ['ha-external-etcd', buildTopologySpec({ kind: 'ha', name: 'golden', etcd: 'external' })],
    ['ha-5-external-etcd', buildTopologySpec({ kind: 'ha', name: 'golden', etcd: 'external', controlPlanes: 5, workers: 2 })],
  ])('%s', async (file, spec) => {
    const rendered = renderKindConfig(spec, spec.etcd === 'external' ? external : {});
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

  it("gives external etcd as a ClusterConfiguration patch without apiVersion, with kubeadm's paths for the CA and client certificate", () => {
    const { config } = renderKindConfig(buildTopologySpec({ kind: 'multi', name: 'x', etcd: 'external' }), external);
    expect(config.kubeadmConfigPatches).toHaveLength(1);
    const patch = load(config.kubeadmConfigPatches?.[0] as string) as Record<string, unknown>;
    expect(patch).toEqual({
      kind: 'ClusterConfiguration',
      etcd: {
        external: {
          endpoints: [ETCD],
          caFile: '/etc/kubernetes/pki/etcd/ca.crt',
          certFile: '/etc/kubernetes/pki/apiserver-etcd-client.crt',
          keyFile: '/etc/kubernetes/pki/apiserver-etcd-client.key',
        },
      },
    });
    expect(patch).not.toHaveProperty('apiVersion');
  });

  it.each([1, 3, 5])(
    "mounts the client pair into each of %i control planes, the etcd CA (for kind's join copy) into the first only, nothing into workers",
    (controlPlanes) => {
      const spec = buildTopologySpec({ kind: controlPlanes === 1 ? 'multi' : 'ha', name: 'x', etcd: 'external', controlPlanes, workers: 2 });
      const { config } = renderKindConfig(spec, external);
      const mounted = config.nodes.map((n) => (n.extraMounts ?? []).map((m) => m.containerPath));
      const client = ['/etc/kubernetes/pki/apiserver-etcd-client.crt', '/etc/kubernetes/pki/apiserver-etcd-client.key'];
      expect(mounted).toEqual([
        [...client, '/etc/kubernetes/pki/etcd/ca.crt', '/etc/kubernetes/pki/etcd/ca.key'],
        ...Array.from({ length: controlPlanes - 1 }, () => client),
        [],
        [],
      ]);
      for (const mount of config.nodes.flatMap((n) => n.extraMounts ?? [])) {
        expect(mount.readOnly).toBe(true);
        expect(mount.hostPath).toBe(`${PKI}/${mount.containerPath.slice('/etc/kubernetes/pki/'.length)}`);
      }
    },
  );

  it('has no kubeadm patch with stacked etcd', () => {
    expect(renderKindConfig(buildTopologySpec({ kind: 'ha' })).config.kubeadmConfigPatches).toBeUndefined();
  });

  it('refuses external etcd without an endpoint and certificate directory', () => {
    expect(() => renderKindConfig(buildTopologySpec({ etcd: 'external' }))).toThrow(/needs its endpoint and certificate directory/);
  });

  it('round-trips: the YAML given to kind parses back to the typed config', () => {
    const rendered = renderKindConfig(buildTopologySpec({ kind: 'multi', etcd: 'external' }), external);
    expect(load(rendered.yaml)).toEqual(rendered.config);
  });
});

describe('checkKindConfig (templates/schemas/kind-config.schema.json)', () => {
  const valid = (): KindClusterConfig => ({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', name: 'x', nodes: [{ role: 'control-plane' }] });

  it('accepts a minimal config', () => expect(() => checkKindConfig(valid())).not.toThrow());

  it.each([
    [
      (c: KindClusterConfig) => ({ ...c, apiVersion: 'kind.x-k8s.io/v1alpha3' }),
      /\/apiVersion must be kind.x-k8s.io\/v1alpha4 \(got "kind.x-k8s.io\/v1alpha3"\)/,
    ],
    [(c: KindClusterConfig) => ({ ...c, nodes: [{ role: 'worker' }] }), /\/nodes must have at least one control-plane node/],
    [(c: KindClusterConfig) => ({ ...c, nodes: [{ role: 'master' }] }), /\/nodes\/0\/role must be one of control-plane, worker \(got "master"\)/],
    [(c: KindClusterConfig) => ({ ...c, nodes: [{ role: 'control-plane', labels: { 'a/b': 'has space' } }] }), /\/nodes\/0\/labels\/a~1b must match /],
    [(c: KindClusterConfig) => ({ ...c, kubeadmConfigPatches: ['etcd: {}'] }), /\/kubeadmConfigPatches\/0 must match /],
    [
      (c: KindClusterConfig) => ({ ...c, nodes: [{ role: 'control-plane', extraPortMappings: [{ containerPort: 80, hostPort: 0 }] }] }),
      /\/nodes\/0\/extraPortMappings\/0\/hostPort must be >= 1 \(got 0\)/,
    ],
    [
      (c: KindClusterConfig) => ({ ...c, nodes: [{ role: 'control-plane', labels: { 'Bad Key!': 'x' } }] }),
      /\/nodes\/0\/labels\/Bad Key! must match .* \(the field name "Bad Key!"\)/,
    ],
    [(c: KindClusterConfig) => ({ ...c, typo: true }), /\/typo is not a known field/],
    [
      (c: KindClusterConfig) => ({ ...c, nodes: [{ role: 'control-plane', extraMounts: [{ hostPath: 'relative/dir', containerPath: '/x' }] }] }),
      /\/nodes\/0\/extraMounts\/0\/hostPath must match \^\/ \(got "relative\/dir"\)/,
    ],
  ])('refuses invalid config %#', (mutate, message) => {
    expect(() => checkKindConfig(mutate(valid()) as KindClusterConfig)).toThrow(message);
  });
});
