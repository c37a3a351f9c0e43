import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { createLab, CreateLabResult } from '../../../src/cluster/create-lab.js';
import type { LabDeps } from '../../../src/cluster/lab-deps.js';
import { KindlabError } from '../../../src/common/kindlab-error.js';
import { createRoom } from '../../../src/room/create-room.js';
import { formatRoomSummary } from '../../../src/room/format-room-summary.js';
import { buildTopologySpec } from '../../../src/topology/build-topology-spec.js';
import { FakeDocker, fakeKind } from '../support/fake-docker.js';
import { useScratchDirs } from '../support/scratch-dirs.js';

/** createLab at its edge: each call takes a turn of the event loop per "step", so calls overlap as real ones do. */
function fakeCreate(failing: Set<string>, seen: { running: number; max: number; order: string[]; options: Array<Record<string, unknown>> }): typeof createLab {
  return async (_deps, spec, options) => {
    seen.running += 1;
    seen.max = Math.max(seen.max, seen.running);
    seen.order.push(spec.name);
    seen.options.push({ ...options });
    try {
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 1));
      if (failing.has(spec.name)) throw new KindlabError(`failed to create kind cluster ${spec.name}\nkind create cluster ...`);
      return { name: spec.name, context: `kind-${spec.name}` } as CreateLabResult;
    } finally {
      seen.running -= 1;
    }
  };
}

describe('createRoom', () => {
  const scratch = useScratchDirs('kindlab-room-');
  let home: string;
  beforeEach(() => {
    home = scratch();
    vi.stubEnv('KINDLAB_HOME', home);
  });
  afterEach(() => vi.unstubAllEnvs());

  const docker = new FakeDocker();
  const deps = {
    docker,
    kind: async () => ({ ...fakeKind(docker, []), getKubeconfig: async (name: string) => `apiVersion: v1\ncurrent-context: kind-${name}\n` }),
  } as unknown as LabDeps;
  const specs = ['team-01', 'team-02', 'team-03', 'team-04', 'team-05'].map((name) => buildTopologySpec({ kind: 'single', name }));
  const options = { room: 'team', signal: new AbortController().signal, renderer: 'silent' as const };

  for (const parallel of [1, 2, 3]) {
    it(`creates at most ${parallel} at a time, every lab through createLab with the room label`, async () => {
      const seen = { running: 0, max: 0, order: [] as string[], options: [] as Array<Record<string, unknown>> };
      const results = await createRoom(deps, specs, { ...options, parallel }, fakeCreate(new Set(), seen));
      expect(seen.max).toBe(parallel);
      expect(seen.order).toEqual(specs.map((s) => s.name));
      expect(seen.options.map((o) => o.recordLabels)).toEqual(specs.map(() => ({ 'dev.kindlab.room': 'team' })));
      expect(results.map((r) => r.state)).toEqual(['ready', 'ready', 'ready', 'ready', 'ready']);
    });
  }

  it('goes on past a failed lab and keeps the others; each ready lab gets its own 0600 kubeconfig', async () => {
    const seen = { running: 0, max: 0, order: [] as string[], options: [] as Array<Record<string, unknown>> };
    const results = await createRoom(deps, specs, { ...options, parallel: 2 }, fakeCreate(new Set(['team-02']), seen));
    expect(results.map((r) => [r.name, r.state])).toEqual([
      ['team-01', 'ready'],
      ['team-02', 'failed'],
      ['team-03', 'ready'],
      ['team-04', 'ready'],
      ['team-05', 'ready'],
    ]);
    expect(results[1]).toMatchObject({ error: 'failed to create kind cluster team-02' });
    expect(results[1]?.kubeconfigFile).toBeUndefined();
    const file = join(home, 'kubeconfigs', 'team-01.kubeconfig');
    expect(results[0]?.kubeconfigFile).toBe(file);
    expect(readFileSync(file, 'utf8')).toBe('apiVersion: v1\ncurrent-context: kind-team-01\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'kubeconfigs')).mode & 0o777).toBe(0o700);
    const summary = formatRoomSummary(results);
    expect(summary).toMatch(/^NAME {6}TOPOLOGY {3}STATE {4}TIME {3}KUBECONFIG$/m);
    expect(summary).toMatch(/^team-02 {3}single {5}failed {3}\d+s {5}-$/m);
    expect(summary).toContain('4 of 5 labs ready\n  team-02: failed to create kind cluster team-02\n');
  });

  it('starts no lab once interrupted', async () => {
    const controller = new AbortController();
    controller.abort('SIGINT');
    const seen = { running: 0, max: 0, order: [] as string[], options: [] as Array<Record<string, unknown>> };
    const results = await createRoom(deps, specs, { ...options, parallel: 2, signal: controller.signal }, fakeCreate(new Set(), seen));
    expect(seen.order).toEqual([]);
    expect(results.every((r) => r.state === 'not started')).toBe(true);
  });
});
