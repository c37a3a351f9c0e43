import { readFileSync } from 'node:fs';
import type { V1NodeList, V1PodList } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { summarizeNode, summarizePod } from '../../../src/cluster/kube-nodes.js';

// Recorded from a real single-node lab; see test/fixtures/kube-api/README.md.
const fixture = <T>(file: string) => JSON.parse(readFileSync(new URL(`../../fixtures/kube-api/${file}`, import.meta.url), 'utf8')) as T;

describe('summarizeNode on a recorded node', () => {
  it('gives the columns of kubectl get nodes -o wide', () => {
    const [node] = fixture<V1NodeList>('single-nodes.json').items;
    const summary = summarizeNode(node!);
    expect(summary).toMatchObject({ name: 'dev-single-control-plane', role: 'control-plane', status: 'Ready', version: 'v1.34.4' });
    expect(summary.internalIP).toMatch(/^172\.18\.\d+\.\d+$/);
    expect(summary.createdAt).toBe(new Date(String(node!.metadata?.creationTimestamp)).toISOString());
    expect(summary.labels).toMatchObject({ 'dev.kindlab.lab': 'dev-single', 'dev.kindlab.topology': 'single', 'dev.kindlab.etcd': 'stacked' });
  });
});

describe('summarizePod on recorded kube-system pods', () => {
  it('sees every pod Running and Ready once lab up finished', () => {
    const pods = fixture<V1PodList>('single-kube-system-pods.json').items.map(summarizePod);
    const names = pods.map((p) => p.name);
    expect(names).toContain('kube-apiserver-dev-single-control-plane');
    expect(names).toContain('etcd-dev-single-control-plane');
    expect(names.filter((n) => n.startsWith('coredns-'))).toHaveLength(2);
    expect(new Set(pods.map((p) => p.node))).toEqual(new Set(['dev-single-control-plane']));
    expect(pods.filter((p) => !(p.phase === 'Running' && p.ready))).toEqual([]);
  });
});
