import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { buildTopologySpec } from '../../../src/topology/build-topology-spec.js';
import { loadProfile, profileSettings } from '../../../src/topology/profile-patches.js';
import { renderKindConfig, templatesDir } from '../../../src/topology/render-kind-config.js';
import { warmSchemas } from '../support/warm-schemas.js';

warmSchemas('kind-config', 'profile');

const external = { externalEtcd: { endpoint: 'https://golden-external-etcd:2379', pkiHostDir: '/var/lib/docker/volumes/golden-etcd-pki/_data' } };

function settingNames(input: Parameters<typeof buildTopologySpec>[0]): string[] {
  return profileSettings(templatesDir(), buildTopologySpec(input)).map((s) => s.name);
}

describe('--profile workshop', () => {
  it('golden: the single lab gets every setting, each as one kubeadm merge patch after the template', async () => {
    const rendered = renderKindConfig(buildTopologySpec({ kind: 'single', name: 'golden', profile: 'workshop' }));
    await expect(rendered.yaml).toMatchFileSnapshot('./golden/single-workshop.yaml');
  });

  it('leaves leader election and etcd timing alone where there is more than one control plane or no stacked etcd', () => {
    const kubelet = ['kubelet-housekeeping-interval', 'kubelet-housekeeping-interval-join', 'kubelet-node-status-check'];
    const everyLab = [...kubelet, 'controller-manager-node-monitor-period'];
    const leaders = ['controller-manager-leader-election-off', 'scheduler-leader-election-off'];
    const etcd = ['etcd-single-member-raft-timing', 'etcd-snapshot-count'];
    expect(settingNames({ kind: 'single', profile: 'workshop' })).toEqual([...everyLab, ...leaders, ...etcd]);
    expect(settingNames({ kind: 'multi', profile: 'workshop' })).toEqual([...everyLab, ...leaders, ...etcd]);
    expect(settingNames({ kind: 'multi', profile: 'workshop', etcd: 'external' })).toEqual([...everyLab, ...leaders]);
    expect(settingNames({ kind: 'ha', profile: 'workshop' })).toEqual(everyLab);
  });

  it('adds nothing with the default profile or none: the rendered config is the same', () => {
    const none = renderKindConfig(buildTopologySpec({ kind: 'multi', name: 'x', etcd: 'external' }), external);
    const byDefault = renderKindConfig(buildTopologySpec({ kind: 'multi', name: 'x', etcd: 'external', profile: 'default' }), external);
    expect(byDefault.yaml).toBe(none.yaml);
    const workshop = renderKindConfig(buildTopologySpec({ kind: 'multi', name: 'x', etcd: 'external', profile: 'workshop' }), external);
    // The external etcd patch stays first; the profile's come after it.
    expect(workshop.config.kubeadmConfigPatches?.slice(0, 1)).toEqual(none.config.kubeadmConfigPatches);
    expect(workshop.config.kubeadmConfigPatches).toHaveLength(1 + 6);
  });

  it('every setting names its component and says why, and patches one kubeadm kind with maps only (kind v0.30.0 writes v1beta3)', () => {
    const profile = loadProfile(templatesDir(), 'workshop');
    for (const setting of profile.settings) {
      expect(setting.why.length).toBeGreaterThan(40);
      const patch = load(setting.patch) as Record<string, unknown>;
      expect(['InitConfiguration', 'JoinConfiguration', 'ClusterConfiguration', 'KubeletConfiguration']).toContain(patch.kind);
      // A list in a merge patch would replace kind's own list (extraArgs, kubeletExtraArgs) instead of adding to it.
      expect(JSON.stringify(patch)).not.toContain('[');
    }
  });

  it('rejects an unknown profile before anything is created', () => {
    expect(() => buildTopologySpec({ kind: 'single', profile: 'tiny' })).toThrow('unknown --profile "tiny"');
  });
});
