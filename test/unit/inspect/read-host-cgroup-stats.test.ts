import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCgroupV1Stats } from '../../../src/inspect/parse-cgroup-stats.js';
import { readHostCgroupStats } from '../../../src/inspect/read-host-cgroup-stats.js';

const NODE = '9bf487bbaed1d4a44b362f162598a617ef71756d110663e2f5fd7ec494e841ac';
/** CGROUP_V1_STATS_ARGV's output in hr-m1-control-plane (test/fixtures/capacity/README.md). */
const CAT = readFileSync(new URL('../../fixtures/capacity/single-cgroup-t0.txt', import.meta.url), 'utf8');

/**
 * A /proc and /sys/fs/cgroup of their own: the node's init (pid 30381) in /docker/<id>, whose cgroup
 * files hold the recorded cat's values, file by file (the first four one line each, then memory.stat).
 */
function host(initCgroup = `/docker/${NODE}`): { proc: string; cgroup: string } {
  const root = mkdtempSync(join(tmpdir(), 'kindlab-cgroup-'));
  const proc = join(root, 'proc');
  const cgroup = join(root, 'cgroup');
  mkdirSync(join(proc, '30381'), { recursive: true });
  // cpu and cpuacct share one hierarchy on cgroup v1 (mounted at cpu,cpuacct, linked as cpuacct).
  writeFileSync(join(proc, '30381', 'cgroup'), `12:pids:${initCgroup}\n9:memory:${initCgroup}\n4:cpu,cpuacct:${initCgroup}\n1:name=systemd:${initCgroup}\n`);
  const lines = CAT.split('\n');
  const write = (controller: string, file: string, text: string) => {
    mkdirSync(join(cgroup, controller, initCgroup), { recursive: true });
    writeFileSync(join(cgroup, controller, initCgroup, file), text);
  };
  write('cpuacct', 'cpuacct.usage', `${lines[0]}\n`);
  write('memory', 'memory.usage_in_bytes', `${lines[1]}\n`);
  write('memory', 'memory.limit_in_bytes', `${lines[2]}\n`);
  write('pids', 'pids.current', `${lines[3]}\n`);
  write('memory', 'memory.stat', lines.slice(4).join('\n'));
  return { proc, cgroup };
}

describe('readHostCgroupStats', () => {
  it("reads the container's cgroup files on the host, as the cat inside it prints them", () => {
    const text = readHostCgroupStats(30381, NODE, host());
    expect(text).toBe(CAT);
    expect(parseCgroupV1Stats(text!)).toEqual(parseCgroupV1Stats(CAT));
  });

  it('reads nothing when the pid is not the container’s here (a daemon on another host), is gone, or a file is missing', () => {
    expect(readHostCgroupStats(30381, NODE, host('/user.slice/session-1.scope'))).toBeUndefined();
    expect(readHostCgroupStats(4242, NODE, host())).toBeUndefined();
    const partial = host();
    writeFileSync(join(partial.proc, '30381', 'cgroup'), `12:pids:/docker/${NODE}\n9:memory:/docker/${NODE}\n`);
    expect(readHostCgroupStats(30381, NODE, partial)).toBeUndefined();
  });
});
