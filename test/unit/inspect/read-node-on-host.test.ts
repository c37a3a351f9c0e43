import { cpSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTAINERD_TASK_DIR } from '../../../src/inspect/containerd-task-dir.js';
import { parseCgroupV1Stats } from '../../../src/inspect/parse-cgroup-stats.js';
import { parseContainerdTasks } from '../../../src/inspect/parse-containerd-tasks.js';
import { parsePsOutput } from '../../../src/inspect/parse-ps-output.js';
import { readNodeOnHost } from '../../../src/inspect/read-node-on-host.js';
import { readNodeProcesses, withoutInspector } from '../../../src/inspect/read-node-processes.js';
import { rawDir } from '../../fixtures/load-fixtures.js';
import { replayRawExec } from '../support/replay-raw-exec.js';
import { useScratchDirs } from '../support/scratch-dirs.js';

/*
 * test/fixtures/raw/node-on-host: a worker of a real ha lab as this host saw it through its init's
 * /proc entry, next to its own ps, task script and cat of the same moment (record-node-on-host.sh),
 * with a zombie and a command line holding a tab and non-ASCII bytes started for the recording.
 */
const DIR = rawDir('node-on-host');
const NODE = 'bh-worker';
const recorded = (what: string): string => {
  const text = readFileSync(join(DIR, `${NODE}.${what}.txt`), 'utf8');
  return text.slice(text.indexOf('\n') + 1);
};
const [PID, ID] = readFileSync(join(DIR, `${NODE}.container.txt`), 'utf8')
  .trim()
  .split('\n') as [string, string];
const WANTS = { containerd: true, stats: true };

/**
 * The recorded tree in a scratch directory, each config.json with the mtime the node's stat printed
 * (git keeps no mtimes), as HostRoots for readNodeOnHost.
 */
function hostRoots(scratchDir: () => string): { proc: string; cgroup: string; taskDir: string } {
  const dir = scratchDir();
  cpSync(join(DIR, NODE), dir, { recursive: true });
  const taskDir = join(dir, 'proc', PID, 'root', CONTAINERD_TASK_DIR);
  for (const line of recorded('containerd-tasks').split('\n')) {
    const mtime = /^([0-9a-f]+)\/config\.json (\d+)$/.exec(line);
    if (mtime) utimesSync(join(taskDir, mtime[1]!, 'config.json'), Number(mtime[2]), Number(mtime[2]));
  }
  return { proc: join(dir, 'proc'), cgroup: join(dir, 'cgroup'), taskDir };
}

describe('readNodeOnHost, against what the node printed itself at the same moment', () => {
  const scratch = useScratchDirs('node-on-host-');
  it('prints ps rows as procps does, zombie and unprintable bytes included; only ps itself is missing', () => {
    const onHost = readNodeOnHost(Number(PID), ID, WANTS, hostRoots(scratch))!;
    const ps = recorded('ps');
    const inspector = new Set(parsePsOutput(ps).map((p) => p.pid));
    for (const p of withoutInspector(parsePsOutput(ps))) inspector.delete(p.pid);
    expect(inspector.size).toBe(1);
    const rows = ps.split('\n').filter((row) => !inspector.has(Number(row.trim().split(' ')[0])));
    expect(onHost.ps).toBe(rows.join('\n'));
    expect(onHost.ps).toMatch(/ \[sleep\] <defunct>\n/);
    expect(onHost.ps).toContain('sh -c sleep 600; : na??ve.tab\n');
  });

  it('prints containerd tasks line for line as the task script did, and its counters as cat does', () => {
    const roots = hostRoots(scratch);
    const onHost = readNodeOnHost(Number(PID), ID, WANTS, roots)!;
    expect(onHost.containerdTasks).toBe(recorded('containerd-tasks'));
    expect(parseContainerdTasks(onHost.containerdTasks!).sandboxes.length).toBeGreaterThanOrEqual(2);
    // Counters move between the copy and the cat; what a lab sets stays.
    const [host, node] = [parseCgroupV1Stats(onHost.cgroup!), parseCgroupV1Stats(recorded('cgroup'))];
    expect(host).toBeDefined();
    expect(host!.memoryLimitBytes).toBe(node!.memoryLimitBytes);
  });

  it('gives nothing for a pid that is not this container here, and null tasks for a node without the directory', () => {
    const roots = hostRoots(scratch);
    expect(readNodeOnHost(Number(PID), 'f'.repeat(64), WANTS, roots)).toBeUndefined();
    expect(readNodeOnHost(Number(PID) + 1, ID, WANTS, roots)).toBeUndefined();
    rmSync(roots.taskDir, { recursive: true });
    expect(readNodeOnHost(Number(PID), ID, WANTS, roots)!.containerdTasks).toBeNull();
    expect(readNodeOnHost(Number(PID), ID, { containerd: false, stats: false }, roots)).toEqual({ ps: expect.any(String) });
  });
});

describe('readNodeProcesses on this host', () => {
  const scratch = useScratchDirs('node-on-host-');
  it('reads a node given with its id and host pid without an exec, as the exec would have', async () => {
    const exec = replayRawExec(DIR);
    const roots = hostRoots(scratch);
    const onHost = await readNodeProcesses(exec, { name: NODE, id: ID, hostPid: Number(PID) }, { withContainerd: true, withStats: true, hostRoots: roots });
    expect(exec.calls).toEqual([]);
    const viaExec = await readNodeProcesses(exec, { name: NODE }, { withContainerd: true, withStats: true });
    expect(exec.calls.length).toBeGreaterThan(0);
    expect(onHost.processes).toEqual(viaExec.processes);
    expect(onHost.containerd).toEqual(viaExec.containerd);
    expect(onHost.stats?.memoryLimitBytes).toBe(parseCgroupV1Stats(recorded('cgroup'))!.memoryLimitBytes);
  });

  it('execs where the node has no task directory (crictl), where the pid is not the container, and when raw outputs are recorded', async () => {
    const roots = hostRoots(scratch);
    rmSync(roots.taskDir, { recursive: true });
    const crictl = replayRawExec(DIR);
    const node = { name: NODE, id: ID, hostPid: Number(PID) };
    await readNodeProcesses(crictl, node, { withContainerd: true, hostRoots: roots }).catch(() => undefined);
    expect(crictl.calls.map((c) => c.argv[0])).toContain('crictl');
    expect(crictl.calls.map((c) => c.argv[0])).not.toContain('ps');

    const elsewhere = replayRawExec(DIR);
    await readNodeProcesses(elsewhere, { ...node, id: 'f'.repeat(64) }, { withContainerd: false, hostRoots: roots });
    expect(elsewhere.calls.map((c) => c.argv[0])).toEqual(['ps']);

    const recording = replayRawExec(DIR);
    const record: string[] = [];
    await readNodeProcesses(recording, node, { withContainerd: false, hostRoots: roots, record: (_node, what) => record.push(what) });
    expect(record).toEqual(['ps']);
  });
});
