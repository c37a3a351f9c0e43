import { describe, expect, it } from 'vitest';
import { formatBuildReport, formatImageList } from '../../../src/image/format-image-list.js';

describe('image list and build report formatting', () => {
  it('shows current, stale and missing outputs with size and Kubernetes version', () => {
    const text = formatImageList([
      {
        stage: 'node',
        kind: 'node',
        refs: ['kindlab/node:v1.34.4'],
        exists: true,
        kubernetesVersion: 'v1.34.4',
        sizeBytes: 739_477_641,
        builtHash: 'aaaa',
        expectedHash: 'aaaa',
        current: true,
      },
      {
        stage: 'etcd-image',
        kind: 'image',
        refs: ['registry.k8s.io/etcd:3.6.5-0', 'kindlab/etcd:v3.6.5'],
        exists: true,
        sizeBytes: 44_100_000,
        builtHash: 'bbbb',
        expectedHash: 'cccc',
        current: false,
      },
      { stage: 'haproxy', kind: 'image', refs: ['docker.io/kindest/haproxy:v20230606-42a2262b'], exists: false, expectedHash: 'dddd', current: false },
    ]);
    const [header, node, etcd, haproxy] = text.split('\n');
    expect(header).toMatch(/^IMAGE\s+KIND\s+KUBERNETES\s+SIZE\s+HASH\s+STATE$/);
    // kubectl's spacing: three spaces after the widest cell of a column.
    expect(node).toMatch(/^kindlab\/node:v1\.34\.4 {32}node {4}v1\.34\.4 {3}/);
    expect(node).toMatch(/kindlab\/node:v1\.34\.4\s+node\s+v1\.34\.4\s+739\.5MB\s+aaaa\s+current$/);
    expect(etcd).toMatch(/registry\.k8s\.io\/etcd:3\.6\.5-0, kindlab\/etcd:v3\.6\.5\s+image\s+-\s+44\.1MB\s+bbbb\s+stale$/);
    expect(haproxy).toMatch(/\s+-\s+-\s+missing$/);
  });

  it('says how much was rebuilt', () => {
    const report = {
      startedAt: '2026-01-01T00:00:00Z',
      totalSeconds: 194.4,
      stages: [
        { name: 'etcd-image', kind: 'image' as const, hash: 'a', status: 'built' as const, seconds: 1.2 },
        { name: 'node', kind: 'node' as const, hash: 'b', status: 'built' as const, seconds: 190 },
        { name: 'pause', kind: 'go' as const, hash: 'c', status: 'cached' as const, seconds: 0 },
      ],
    };
    const [header, etcd, node, pause, summary] = formatBuildReport(report).split('\n');
    expect(header).toMatch(/^STAGE\s+STATUS\s+TIME\s+HASH$/);
    expect(etcd).toMatch(/^etcd-image\s+built\s+1\.2s\s+a$/);
    expect(node).toMatch(/^node\s+built\s+3m10s\s+b$/);
    expect(pause).toMatch(/^pause\s+cached\s+-\s+c$/);
    expect(summary).toBe("built 2 of 3 stages in 3m14s (the built stages' times add up to 3m11s)");
  });

  it('says when nothing was rebuilt', () => {
    const report = {
      startedAt: '2026-01-01T00:00:00Z',
      totalSeconds: 0.8,
      stages: [{ name: 'pause', kind: 'go' as const, hash: 'c', status: 'cached' as const, seconds: 0 }],
    };
    expect(formatBuildReport(report).split('\n').at(-1)).toBe('nothing rebuilt: all 1 stages up to date (0.8s)');
  });
});
