import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseCrictlContainers,
  parseCrictlImageTags,
  parseCrictlInspectPids,
  parseCrictlPods,
  splitJsonDocuments,
} from '../../../src/inspect/parse-crictl-output.js';
import { loadRawNodes, TOPOLOGIES } from '../../fixtures/load-fixtures.js';

const nodes = TOPOLOGIES.flatMap((t) => loadRawNodes(t)).filter((n) => n.hasContainerd);

describe('crictl JSON recorded from kind nodes', () => {
  it('has recorded nodes to read', () => {
    expect(nodes.length).toBeGreaterThan(0);
  });

  it.each(nodes.map((n) => [n.node, n] as const))('%s: pods, containers and their pids', (_name, raw) => {
    const sandboxes = parseCrictlPods(raw.pods);
    const containers = parseCrictlContainers(raw.containers);
    expect(sandboxes.length).toBeGreaterThan(0);
    for (const s of sandboxes) {
      expect(s.id).toMatch(/^[0-9a-f]{64}$/);
      expect(s.pod.namespace && s.pod.name && s.pod.uid).toBeTruthy();
      expect(Date.parse(s.createdAt)).toBeGreaterThan(Date.parse('2020-01-01'));
    }
    for (const c of containers) expect(sandboxes.map((s) => s.id)).toContain(c.sandboxId);

    const sandboxPids = parseCrictlInspectPids(raw.inspectp);
    const containerPids = parseCrictlInspectPids(raw.inspect);
    const ready = sandboxes.filter((s) => s.state === 'SANDBOX_READY').map((s) => s.id);
    expect([...sandboxPids.keys()].sort()).toEqual([...ready].sort());
    expect([...containerPids.keys()].sort()).toEqual(
      containers
        .filter((c) => c.state === 'CONTAINER_RUNNING')
        .map((c) => c.id)
        .sort(),
    );
    // A sandbox's pid and its containers' pids are distinct processes.
    expect(new Set([...sandboxPids.values(), ...containerPids.values()]).size).toBe(sandboxPids.size + containerPids.size);
  });

  it('splits back-to-back JSON documents, braces inside strings included', () => {
    expect(splitJsonDocuments('{"a":"}{"}\n{"b":[1,{"c":"\\"{"}]}\n')).toEqual(['{"a":"}{"}', '{"b":[1,{"c":"\\"{"}]}']);
    expect(() => splitJsonDocuments('{"a":1')).toThrow(/unbalanced/);
  });
});

describe('parseCrictlImageTags', () => {
  it("lists every tag of a real control plane's images (crictl images -o json, test/fixtures/verify/README.md)", () => {
    const text = readFileSync(join(import.meta.dirname, '../../fixtures/verify/raw/multi-control-plane-crictl-images.json'), 'utf8');
    const tags = parseCrictlImageTags(text);
    expect(tags).toHaveLength(8);
    expect(tags).toContain('registry.k8s.io/etcd:3.6.5-0');
    expect(tags).toContain('registry.k8s.io/pause:3.10.1');
    expect(parseCrictlImageTags('{"images":[{"repoTags":null}]}')).toEqual([]);
  });
});
