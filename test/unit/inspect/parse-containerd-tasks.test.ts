import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { joinProcesses } from '../../../src/inspect/join-processes.js';
import { parseContainerdTasks } from '../../../src/inspect/parse-containerd-tasks.js';
import { parsePsOutput } from '../../../src/inspect/parse-ps-output.js';
import { readNodeProcesses, withoutInspector } from '../../../src/inspect/read-node-processes.js';
import type { ContainerdView } from '../../../src/inspect/snapshot.js';
import { rawDir } from '../../fixtures/load-fixtures.js';
import { rawReadName } from '../support/raw-read-name.js';
import { replayRawExec } from '../support/replay-raw-exec.js';

/*
 * test/fixtures/raw/ha-tasks: every node of a real ha lab, containerd's task directory as kindlab
 * reads it and the four crictl reads it replaces, in the same second (record-containerd-tasks.sh).
 */
const DIR = rawDir('ha-tasks');
const NODES = readdirSync(DIR)
  .filter((f) => f.endsWith('.containerd-tasks.txt'))
  .map((f) => f.slice(0, -'.containerd-tasks.txt'.length))
  .sort();

function recorded(node: string, what: string): string {
  const text = readFileSync(join(DIR, `${node}.${what}.txt`), 'utf8');
  return text.slice(text.indexOf('\n') + 1);
}

const replay = (tasks: 'recorded' | 'absent') => replayRawExec(DIR, { tasks });

/** createdAt to the second: config.json's mtime is the task's create, crictl's the CRI create a moment before. */
function comparable(view: ContainerdView) {
  const seconds = (iso: string) => Math.round(Date.parse(iso) / 1000);
  return {
    sandboxes: view.sandboxes.map((s) => ({ ...s, createdAt: seconds(s.createdAt) })).sort((a, b) => a.id.localeCompare(b.id)),
    containers: view.containers.map((c) => ({ ...c, createdAt: seconds(c.createdAt) })).sort((a, b) => a.id.localeCompare(b.id)),
  };
}

describe('containerd task directory against crictl, recorded in the same second on a real ha lab', () => {
  it('has every node of the lab', () => {
    expect(NODES).toEqual(['bh-control-plane', 'bh-control-plane2', 'bh-control-plane3', 'bh-worker']);
  });

  it.each(NODES)('%s: the same sandboxes, containers, pods and pids; images by name; createdAt within 2 s', async (node) => {
    const fromTasks = (await readNodeProcesses(replay('recorded'), { name: node }, { withContainerd: true })).containerd!;
    const fromCrictl = (await readNodeProcesses(replay('absent'), { name: node }, { withContainerd: true })).containerd!;
    expect(fromTasks.sandboxes.length).toBeGreaterThan(0);
    expect(fromTasks.containers.length).toBe(fromTasks.sandboxes.length);
    const a = comparable(fromTasks);
    const b = comparable(fromCrictl);
    const withoutTimes = (v: typeof a) => ({
      sandboxes: v.sandboxes.map(({ createdAt: _, ...s }) => s),
      containers: v.containers.map(({ createdAt: _, image: __, ...c }) => c),
    });
    expect(withoutTimes(a)).toEqual(withoutTimes(b));
    // containerd 1.6+ gives crictl only the image id (inspect-cluster names it from the API); the annotation has the name.
    a.containers.forEach((c, i) => {
      expect(c.image).toMatch(/^[a-z0-9.-]+(\/[a-z0-9._-]+)+:[\w.-]+$/);
      const crictl = b.containers[i]!.image;
      if (!crictl.startsWith('sha256:')) expect(c.image).toBe(crictl);
    });
    const gaps = [
      ...a.sandboxes.map((s, i) => s.createdAt - b.sandboxes[i]!.createdAt),
      ...a.containers.map((c, i) => c.createdAt - b.containers[i]!.createdAt),
    ];
    expect(gaps.filter((gap) => Math.abs(gap) > 2)).toEqual([]);
  });

  it.each(NODES)('%s: every process joins to the same pod and container either way, one pause per sandbox', async (node) => {
    const processes = withoutInspector(parsePsOutput(recorded(node, 'ps')));
    const fromTasks = parseContainerdTasks(recorded(node, 'containerd-tasks'));
    const fromCrictl = (await readNodeProcesses(replay('absent'), { name: node }, { withContainerd: true })).containerd!;
    const viaTasks = joinProcesses(processes, fromTasks);
    expect(viaTasks.map((p) => p.identity)).toEqual(joinProcesses(processes, fromCrictl).map((p) => p.identity));
    expect(viaTasks.filter((p) => p.identity.kind === 'pause')).toHaveLength(fromTasks.sandboxes.length);
    expect(viaTasks.filter((p) => p.identity.kind === 'shim').every((p) => p.identity.pod?.name)).toBe(true);
  });

  it('reads the node in one exec: ps and the task directory, no crictl', async () => {
    const exec = replay('recorded');
    await readNodeProcesses(exec, { name: 'bh-worker' }, { withContainerd: true });
    expect(exec.batches.map((b) => b.argvs.map(rawReadName))).toEqual([['ps', 'containerd-tasks']]);
  });

  it('asks crictl in a second exec where the node has no task directory', async () => {
    const exec = replay('absent');
    await readNodeProcesses(exec, { name: 'bh-worker' }, { withContainerd: true });
    expect(exec.batches.map((b) => b.argvs.map(rawReadName))).toEqual([
      ['ps', 'containerd-tasks'],
      ['crictl-pods', 'crictl-ps', 'crictl-inspectp', 'crictl-inspect'],
    ]);
  });

  it('keeps a task without init.pid (being created) without a pid, and leaves out tasks without the CRI annotations', () => {
    const text = recorded('bh-worker', 'containerd-tasks');
    const full = parseContainerdTasks(text);
    const first = full.containers[0]!;
    const withoutPid = text
      .split('\n')
      .filter((l) => l !== `${first.id}/init.pid:${first.pid}`)
      .join('\n');
    expect(parseContainerdTasks(withoutPid).containers.find((c) => c.id === first.id)).toEqual({ ...first, pid: undefined });
    const withoutAnnotations = text
      .split('\n')
      .filter((l) => !l.startsWith(`${first.id}/config.json:`))
      .join('\n');
    expect(parseContainerdTasks(withoutAnnotations).containers.map((c) => c.id)).not.toContain(first.id);
    expect(parseContainerdTasks('')).toEqual({ sandboxes: [], containers: [] });
  });
});
