import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/common/paths.js';
import { stageDependencies } from '../../../src/image/build-stages.js';
import {
  CNI_IMAGE,
  COREDNS_IMAGE,
  ETCD_IMAGE,
  KUBE_APISERVER_IMAGE,
  KUBE_CONTROLLER_MANAGER_IMAGE,
  KUBE_PROXY_IMAGE,
  KUBE_SCHEDULER_IMAGE,
  LOAD_BALANCER_IMAGE,
  OFFLINE_NODE_IMAGE,
  PAUSE_IMAGE,
} from '../../../src/image/image-refs.js';
import { BUILD_STAGES, findStage, kubernetesLdflags } from '../../../src/image/image-recipes.js';

const images = join(projectRoot(), 'images');

describe('image recipes', () => {
  it('names a pause image in containerd that the node pre-imports', async () => {
    const config = await readFile(join(images, 'node-base/rootfs/etc/containerd/config.toml'), 'utf8');
    // kind reads the sandbox image with this regex (pkg/build/nodeimage/internal/kube/... helpers.go).
    const match = /sandbox_image\s+=\s+"([^\n]+)"/.exec(config);
    expect(match?.[1]).toBe(PAUSE_IMAGE);
    expect(config).toMatch(/restrict_oom_score_adj = true/);
    expect(config).toMatch(/SystemdCgroup = true/);
  });

  it("pre-imports exactly kubeadm v1.34.4's image list plus the CNI", () => {
    const node = findStage(BUILD_STAGES, 'node');
    if (node.kind !== 'node') throw new Error('node stage is not a node stage');
    const refs = node.preload.map((name) => {
      const stage = findStage(BUILD_STAGES, name);
      return stage.kind === 'image' ? stage.refs[0] : undefined;
    });
    expect(refs.sort()).toEqual(
      [KUBE_APISERVER_IMAGE, KUBE_CONTROLLER_MANAGER_IMAGE, KUBE_SCHEDULER_IMAGE, KUBE_PROXY_IMAGE, COREDNS_IMAGE, PAUSE_IMAGE, ETCD_IMAGE, CNI_IMAGE].sort(),
    );
    expect(node.ref).toBe(OFFLINE_NODE_IMAGE);
  });

  it('ships a CNI manifest kind v0.30 can template and patch, running the image we build', async () => {
    const text = await readFile(join(images, 'node/default-cni.yaml'), 'utf8');
    expect(text).toContain('would you kindly template this file');
    expect(text).toContain('would you kindly patch this file');
    // kind renders it with text/template and only PodSubnet: no other actions may appear.
    expect(text.match(/\{\{[^}]*\}\}/g)).toEqual(['{{ .PodSubnet }}']);
    const docs = yaml.loadAll(text.replace('{{ .PodSubnet }}', '10.244.0.0/16')) as Array<Record<string, any>>;
    const daemonSets = docs.filter((d) => d?.kind === 'DaemonSet' && d.apiVersion === 'apps/v1');
    // kind's JSON6902 patch appends to /spec/template/spec/containers/0/env of every apps/v1 DaemonSet.
    expect(daemonSets).toHaveLength(1);
    const container = daemonSets[0]!.spec.template.spec.containers[0];
    expect(Array.isArray(container.env)).toBe(true);
    expect(container.image).toBe(CNI_IMAGE);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    const netConf = JSON.parse(docs.find((d) => d?.kind === 'ConfigMap')!.data['net-conf.json']);
    expect(netConf.Network).toBe('10.244.0.0/16');
  });

  it('has a Dockerfile and context files for every image stage, and every binary comes from an earlier stage', () => {
    const seen = new Set<string>();
    for (const stage of BUILD_STAGES) {
      for (const dependency of stageDependencies(stage)) expect(seen.has(dependency), `${stage.name} needs ${dependency}`).toBe(true);
      seen.add(stage.name);
      if (stage.kind !== 'image') continue;
      expect(existsSync(join(images, stage.recipeDir, 'Dockerfile')), stage.name).toBe(true);
      for (const file of stage.contextFiles) expect(existsSync(join(images, stage.recipeDir, file)), file).toBe(true);
    }
  });

  it('builds the load balancer under the exact reference kind v0.30.0 runs', () => {
    const haproxy = findStage(BUILD_STAGES, 'haproxy');
    expect(haproxy.kind === 'image' && haproxy.refs).toEqual([LOAD_BALANCER_IMAGE]);
    expect(LOAD_BALANCER_IMAGE).toBe('docker.io/kindest/haproxy:v20230606-42a2262b');
  });

  it('stamps both Kubernetes version packages the way hack/lib/version.sh does', () => {
    const flags = kubernetesLdflags('v1.34.4');
    for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
      expect(flags).toContain(`-X ${pkg}.gitVersion=v1.34.4`);
      expect(flags).toContain(`-X ${pkg}.gitMajor=1`);
      expect(flags).toContain(`-X ${pkg}.gitMinor=34`);
    }
    expect(flags.startsWith('-s -w ')).toBe(true);
  });
});
