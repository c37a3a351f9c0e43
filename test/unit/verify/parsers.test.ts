import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/common/paths.js';
import { etcdImageOf } from '../../../src/verify/gather-evidence.js';

const raw = (name: string) => readFileSync(join(projectRoot(), 'test', 'fixtures', 'verify', 'raw', name), 'utf8');

describe('etcdImageOf', () => {
  it("picks kubeadm's etcd image from the node's containerd", () => {
    expect(etcdImageOf(raw('multi-control-plane-crictl-images.json'))).toBe('registry.k8s.io/etcd:3.6.5-0');
    expect(() => etcdImageOf('{"images":[{"repoTags":["registry.k8s.io/pause:3.10.1"]}]}')).toThrow(/no image tagged/);
  });
});
