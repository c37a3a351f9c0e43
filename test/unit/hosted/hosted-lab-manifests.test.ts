import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { recordedLabCost } from '../../../src/capacity/recorded-lab-costs.js';
import { renderHostedKindConfig } from '../../../src/hosted/hosted-kind-config.js';
import { hostedLabPod, hostedLabService, hostedRequests, hostedRunSelector } from '../../../src/hosted/hosted-lab-manifests.js';
import { buildTopologySpec } from '../../../src/topology/build-topology-spec.js';

describe('hosted lab objects', () => {
  const cost = recordedLabCost('single', 'workshop');
  const objects = { lab: 'alice', runId: 'r1', namespace: 'labs', image: 'kindlab/dind:v0.30.0', cost };

  it('requests what an idle lab of the shape measurably costs, rounded up, and sets no limits', () => {
    expect(hostedRequests({ ...cost, cpuCores: 0.0915, memoryBytes: 484966400 })).toEqual({ cpu: '92m', memory: '463Mi' });
    const container = hostedLabPod(objects).spec!.containers[0]!;
    expect(container.resources).toEqual({ requests: hostedRequests(cost) });
  });

  it('runs privileged Docker on an emptyDir, Ready only when the daemon answers, never restarted', () => {
    const pod = hostedLabPod(objects);
    const container = pod.spec!.containers[0]!;
    expect(container.securityContext?.privileged).toBe(true);
    expect(container.volumeMounts).toContainEqual({ name: 'docker', mountPath: '/var/lib/docker' });
    expect(pod.spec!.volumes).toContainEqual({ name: 'docker', emptyDir: {} });
    expect(container.readinessProbe?.exec?.command?.[0]).toBe('docker');
    expect(pod.spec!.restartPolicy).toBe('Never');
    // Not the host cluster's DNS Service: inside the lab that address is the lab's own CoreDNS (a loop).
    expect(pod.spec!.dnsPolicy).toBe('Default');
    expect(pod.metadata!.namespace).toBe('labs');
  });

  it("labels pod and Service with the lab and the run; the Service selects exactly this run's pod", () => {
    const pod = hostedLabPod(objects);
    const service = hostedLabService(objects);
    expect(hostedRunSelector('alice', 'r1')).toBe('dev.kindlab.lab=alice,dev.kindlab.component=hosted-lab,dev.kindlab.run=r1');
    expect(service.spec!.selector).toEqual(pod.metadata!.labels);
    expect(service.metadata!.labels).toEqual(pod.metadata!.labels);
    expect(service.spec!.type).toBe('NodePort');
    expect(service.spec!.ports![0]!.targetPort).toBe(pod.spec!.containers[0]!.ports![0]!.containerPort);
  });
});

describe('renderHostedKindConfig', () => {
  it("listens on the pod's addresses at the Service's port and names the host nodes in the certificate", () => {
    const spec = buildTopologySpec({ kind: 'single', name: 'alice', profile: 'workshop' });
    const text = renderHostedKindConfig(spec, ['172.18.0.3', '172.18.0.4']);
    const config = load(text) as {
      name: string;
      networking: Record<string, unknown>;
      kubeadmConfigPatches: string[];
      nodes: Array<{ labels: Record<string, string> }>;
    };
    expect(config.name).toBe('alice');
    expect(config.networking).toMatchObject({ apiServerAddress: '0.0.0.0', apiServerPort: 6443 });
    const sans = config.kubeadmConfigPatches.map((p) => load(p) as { kind: string; apiServer?: { certSANs?: string[] } }).find((p) => p.apiServer?.certSANs);
    expect(sans).toEqual({ kind: 'ClusterConfiguration', apiServer: { certSANs: ['172.18.0.3', '172.18.0.4'] } });
    // Everything else is the lab as `lab up` renders it: the node labels verify and report read.
    expect(config.nodes[0]!.labels).toMatchObject({ 'dev.kindlab.lab': 'alice', 'dev.kindlab.topology': 'single' });
    // The workshop profile's patches come along.
    expect(config.kubeadmConfigPatches.length).toBeGreaterThan(1);
  });
});
