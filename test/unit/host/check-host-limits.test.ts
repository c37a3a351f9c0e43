import { describe, expect, it } from 'vitest';
import { checkHostLimits } from '../../../src/host/check-host-limits.js';
import { FakeFilesystem, fixture } from './fakes.js';

const WATCHES = '/proc/sys/fs/inotify/max_user_watches';
const INSTANCES = '/proc/sys/fs/inotify/max_user_instances';
const MEMINFO = 'MemTotal:       24684084 kB\nMemFree:        20000000 kB\nMemAvailable:   23761396 kB\n';

function host(watches: number, instances: number, extra: Record<string, string> = {}): FakeFilesystem {
  const fs = new FakeFilesystem({
    '/proc/self/mountinfo': fixture('proc-self-mountinfo.txt'),
    [WATCHES]: `${watches}\n`,
    [INSTANCES]: `${instances}\n`,
    '/proc/meminfo': MEMINFO,
    ...extra,
  });
  return fs;
}

describe('checkHostLimits', () => {
  it('raises low inotify limits and creates /lib/modules as root', async () => {
    const fs = host(192536, 128);
    const limits = await checkHostLimits({ fs, isRoot: true, nodes: 4, dockerRootDir: '/var/lib/docker' });
    expect(fs.files.get(WATCHES)?.toString()).toBe('524288\n');
    expect(fs.files.get(INSTANCES)?.toString()).toBe('512\n');
    expect(fs.dirs.has('/lib/modules')).toBe(true);
    expect(limits.inotify).toMatchObject({ raised: true, current: { maxUserWatches: 524288, maxUserInstances: 512 } });
    expect(limits.libModules).toEqual({ path: '/lib/modules', existed: false, created: true });
    expect(limits.changes).toEqual([
      'raised fs.inotify.max_user_watches from 192536 to 524288 (4 nodes need 524288)',
      'raised fs.inotify.max_user_instances from 128 to 512 (4 nodes need 512)',
      expect.stringContaining('created an empty /lib/modules'),
    ]);
    expect(limits.cgroup.mode).toBe('hybrid');
    expect(limits.memory).toMatchObject({ totalBytes: 24684084 * 1024, availableBytes: 23761396 * 1024 });
  });

  it('changes nothing when everything is already in place', async () => {
    const fs = host(524288, 512);
    fs.dirs.add('/lib/modules');
    const limits = await checkHostLimits({ fs, isRoot: true, nodes: 4, dockerRootDir: '/var/lib/docker' });
    expect(limits.changes).toEqual([]);
    expect(fs.writes).toEqual([]);
  });

  it('only raises, never lowers, and scales with nodes', async () => {
    const fs = host(1_000_000, 128);
    fs.dirs.add('/lib/modules');
    const limits = await checkHostLimits({ fs, isRoot: true, nodes: 6, dockerRootDir: '/var/lib/docker' });
    expect(fs.writes).toEqual([INSTANCES]);
    expect(limits.inotify.needed).toEqual({ maxUserWatches: 786432, maxUserInstances: 768 });
  });

  it('fails with the sysctl command when /proc/sys is read-only', async () => {
    const fs = host(8192, 128);
    fs.readOnly.add(WATCHES);
    await expect(checkHostLimits({ fs, isRoot: true, nodes: 1, dockerRootDir: '/var/lib/docker' })).rejects.toMatchObject({
      message: 'failed to raise fs.inotify.max_user_watches to 524288',
      hint: expect.stringContaining('sysctl -w fs.inotify.max_user_watches=524288 && sysctl -w fs.inotify.max_user_instances=512'),
    });
  });

  it('fails without root instead of changing the host', async () => {
    const fs = host(8192, 128);
    await expect(checkHostLimits({ fs, isRoot: false, nodes: 1, dockerRootDir: '/var/lib/docker' })).rejects.toThrow(/inotify limits are too low/);
    expect(fs.writes).toEqual([]);
  });

  it('fails on too little disk or memory', async () => {
    const fs = host(524288, 512);
    fs.dirs.add('/lib/modules');
    fs.free = 5 * 1024 ** 3;
    await expect(checkHostLimits({ fs, isRoot: true, nodes: 4, dockerRootDir: '/var/lib/docker' })).rejects.toThrow(
      /not enough free disk for 4 nodes under \/var\/lib\/docker: 5.0 GiB free, 16.0 GiB needed/,
    );
    fs.free = 100 * 1024 ** 3;
    await expect(checkHostLimits({ fs, isRoot: true, nodes: 40, dockerRootDir: '/var/lib/docker' })).rejects.toThrow(/not enough free memory for 40 nodes/);
  });
});
