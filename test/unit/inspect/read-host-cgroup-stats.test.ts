import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCgroupV1Stats } from '../../../src/inspect/parse-cgroup-stats.js';
import { readHostCgroupStats } from '../../../src/inspect/read-host-cgroup-stats.js';

const NODE = 'ed1b274bc741c7c6b4329089923b16999d5cf53ca8f6dfc38dc3715bdcf54843';
/** `cat /proc/<State.Pid>/cgroup` of sp2-status-control-plane (test/fixtures/lab-status/README.md): kind moved its init into init.scope. */
const PROC_CGROUP = readFileSync(new URL('../../fixtures/lab-status/proc-cgroup-sp2-status-control-plane.txt', import.meta.url), 'utf8');
/** CGROUP_V1_STATS_ARGV's output in hr-m1-control-plane (test/fixtures/capacity/README.md). */
const CAT = readFileSync(new URL('../../fixtures/capacity/single-cgroup-t0.txt', import.meta.url), 'utf8');

/**
 * A /proc and /sys/fs/cgroup of their own: the node's init (pid 30381) in /docker/<id>/init.scope as
 * recorded, the node's cgroup /docker/<id> holding the recorded cat's values, file by file (the first
 * four one line each, then memory.stat), and init.scope below it other values (what it must not read).
 */
function host(initCgroup = `/docker/${NODE}`): { proc: string; cgroup: string } {
  const root = mkdtempSync(join(tmpdir(), 'kindlab-cgroup-'));
  const proc = join(root, 'proc');
  const cgroup = join(root, 'cgroup');
  mkdirSync(join(proc, '30381'), { recursive: true });
  writeFileSync(join(proc, '30381', 'cgroup'), PROC_CGROUP.replaceAll(`/docker/${NODE}`, initCgroup));
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
  for (const [controller, file] of [
    ['cpuacct', 'cpuacct.usage'],
    ['memory', 'memory.usage_in_bytes'],
    ['pids', 'pids.current'],
  ] as const) {
    mkdirSync(join(cgroup, controller, initCgroup, 'init.scope'), { recursive: true });
    writeFileSync(join(cgroup, controller, initCgroup, 'init.scope', file), '7\n');
  }
  return { proc, cgroup };
}

describe('readHostCgroupStats', () => {
  it("reads the container's own cgroup files on the host (not its init's init.scope), as the cat inside it prints them", () => {
    const text = readHostCgroupStats(30381, NODE, host());
    expect(text).toBe(CAT);
    expect(parseCgroupV1Stats(text!)).toEqual(parseCgroupV1Stats(CAT));
  });

  it('reads nothing when the pid is not the container’s here (a daemon on another host), is gone, or a file is missing', () => {
    expect(readHostCgroupStats(30381, NODE, host('/user.slice/session-1.scope'))).toBeUndefined();
    expect(readHostCgroupStats(4242, NODE, host())).toBeUndefined();
    const partial = host();
    writeFileSync(join(partial.proc, '30381', 'cgroup'), `8:pids:/docker/${NODE}/init.scope\n4:memory:/docker/${NODE}/init.scope\n`);
    expect(readHostCgroupStats(30381, NODE, partial)).toBeUndefined();
  });
});
