import { describe, expect, it } from 'vitest';
import { normalizeImageRef } from '../../../src/image/normalize-image-ref.js';

describe('normalizeImageRef', () => {
  it.each([
    ['registry.k8s.io/pause:3.10.1', 'registry.k8s.io/pause:3.10.1'],
    ['kindlab/flannel:v0.27.4', 'docker.io/kindlab/flannel:v0.27.4'],
    ['docker.io/kindlab/flannel:v0.27.4', 'docker.io/kindlab/flannel:v0.27.4'],
    ['busybox:1', 'docker.io/library/busybox:1'],
    ['localhost/x:1', 'localhost/x:1'],
    ['registry.local:5000/x:1', 'registry.local:5000/x:1'],
  ])('%s -> %s', (ref, expected) => {
    expect(normalizeImageRef(ref)).toBe(expected);
  });
});
