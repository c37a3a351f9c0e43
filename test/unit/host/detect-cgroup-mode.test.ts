import { describe, expect, it } from 'vitest';
import { detectCgroupMode } from '../../../src/host/detect-cgroup-mode.js';
import { fixture } from './fakes.js';

describe('detectCgroupMode', () => {
  const mountinfo = fixture('proc-self-mountinfo.txt');

  it('reads the recorded host as hybrid: v1 controllers plus cgroup2 at /sys/fs/cgroup/unified', () => {
    const layout = detectCgroupMode(mountinfo);
    expect(layout.mode).toBe('hybrid');
    expect(layout.unifiedMount).toBe('/sys/fs/cgroup/unified');
    expect(layout.v1Controllers).toEqual(expect.arrayContaining(['cpu', 'memory', 'pids', 'devices']));
    expect(layout.v1Controllers).not.toContain('name=systemd');
  });

  it('reads pure v1 when the cgroup2 mount is absent', () => {
    const withoutUnified = mountinfo
      .split('\n')
      .filter((line) => !line.includes(' - cgroup2 '))
      .join('\n');
    expect(detectCgroupMode(withoutUnified)).toMatchObject({ mode: 'v1', unifiedMount: undefined });
  });

  it('reads v2 when only cgroup2 is mounted', () => {
    const v2Only = mountinfo
      .split('\n')
      .filter((line) => !line.includes(' - cgroup '))
      .map((line) => line.replace('/sys/fs/cgroup/unified', '/sys/fs/cgroup'))
      .join('\n');
    expect(detectCgroupMode(v2Only)).toMatchObject({ mode: 'v2', unifiedMount: '/sys/fs/cgroup', v1Controllers: [] });
  });
});
