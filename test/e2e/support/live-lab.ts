import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { labResources, removeLabByLabel } from './lab-resources.js';
import { jsonLines, runLab } from './run-lab.js';

export type Topology = 'single' | 'multi' | 'ha';

/** One real cluster, created once per e2e file and shared by every check registered against it. */
export interface LiveLab {
  name: string;
  topology: Topology;
  etcd: 'stacked' | 'external';
  controlPlanes: number;
  workers: number;
  /** The temporary kubeconfig `lab up --kubeconfig` merged the context into (the user's file is never touched). */
  kubeconfigPath: string;
  context: string;
  nodeImage: string;
  /** Node container names by kind role, from `lab status --json`. */
  controlPlaneContainers: string[];
  workerContainers: string[];
  /** The `lab up --json` final result and its step events. */
  upResult: Record<string, unknown>;
  upEvents: Array<Record<string, unknown>>;
  upSeconds: number;
}

/** Checks other features add with one line: `registerXChecks(lab)` inside the topology's describe. */
export type LiveLabAccessor = () => LiveLab;

export interface LiveLabOptions {
  topology: Topology;
  name: string;
  etcd?: 'stacked' | 'external';
  workers?: number;
  controlPlanes?: number;
  /** Environment for `lab up` and `lab status` (e.g. a Docker context instead of DOCKER_HOST); undefined removes a variable. */
  env?: () => Record<string, string | undefined>;
}

/**
 * Registers beforeAll (clean by label, `lab up`) and afterAll (`lab down`, then assert that nothing
 * with kind's or kindlab's label for the lab remains and the context is gone). Call it inside the
 * topology's describe block and pass the returned accessor to the check modules.
 */
export function useLiveLab(options: LiveLabOptions): LiveLabAccessor {
  let lab: LiveLab | undefined;
  const kubeconfigPath = join(mkdtempSync(join(tmpdir(), `kindlab-e2e-${options.name}-`)), 'kubeconfig');

  beforeAll(async () => {
    lab = await bringUpLab(options, kubeconfigPath);
  });

  afterAll(async () => {
    await tearDownLab(options.name, kubeconfigPath);
  });

  return () => {
    if (!lab) throw new Error(`lab ${options.name} was not created (see the beforeAll error)`);
    return lab;
  };
}

/**
 * Like useLiveLab, but `lab up` runs in the background, concurrently with the beforeAll hooks
 * registered after this one (e.g. the file's main lab): for a second, cheap lab a check needs.
 * The accessor waits for it; a failed `lab up` fails the checks that use it.
 */
export function useBackgroundLiveLab(options: LiveLabOptions): () => Promise<LiveLab> {
  let pending: Promise<LiveLab> | undefined;
  const kubeconfigPath = join(mkdtempSync(join(tmpdir(), `kindlab-e2e-${options.name}-`)), 'kubeconfig');

  beforeAll(() => {
    pending = bringUpLab(options, kubeconfigPath);
    // Observed by the accessor or afterAll; do not let it count as unhandled meanwhile.
    pending.catch(() => undefined);
  });

  afterAll(async () => {
    await pending?.catch(() => undefined);
    await tearDownLab(options.name, kubeconfigPath);
  });

  return () => {
    if (!pending) throw new Error(`lab ${options.name} was not started (see the beforeAll error)`);
    return pending;
  };
}

async function bringUpLab(options: LiveLabOptions, kubeconfigPath: string): Promise<LiveLab> {
  removeLabByLabel(options.name);
  const args = ['up', options.topology, '--name', options.name, '--kubeconfig', kubeconfigPath, '--json'];
  if (options.etcd) args.push('--etcd', options.etcd);
  if (options.workers !== undefined) args.push('--workers', String(options.workers));
  if (options.controlPlanes !== undefined) args.push('--control-planes', String(options.controlPlanes));
  const t0 = Date.now();
  const env = options.env?.();
  const up = await runLab(args, env ? { env } : {});
  const events = jsonLines(up.stdout);
  const result = events.find((e) => e.event === 'result');
  if (up.exitCode !== 0 || !result?.ok) {
    throw new Error(`lab ${args.join(' ')} failed (exit ${up.exitCode}):\n${up.stderr}\n${up.stdout.split('\n').slice(-15).join('\n')}`);
  }
  const status = await runLab(['status', options.name, '--json'], env ? { env } : {});
  const parsed = JSON.parse(status.stdout) as { containers: Array<{ name: string; role: string }> };
  const upResult = result.result as Record<string, unknown>;
  return {
    name: options.name,
    topology: options.topology,
    etcd: options.etcd ?? 'stacked',
    controlPlanes: options.controlPlanes ?? (options.topology === 'ha' ? 3 : 1),
    workers: options.workers ?? { single: 0, multi: 2, ha: 1 }[options.topology],
    kubeconfigPath,
    context: String(upResult.context),
    nodeImage: String(upResult.nodeImage),
    controlPlaneContainers: parsed.containers.filter((c) => c.role === 'control-plane').map((c) => c.name),
    workerContainers: parsed.containers.filter((c) => c.role === 'worker').map((c) => c.name),
    upResult,
    upEvents: events,
    upSeconds: (Date.now() - t0) / 1000,
  };
}

/** `lab down`, then nothing with kind's or kindlab's label for the lab remains and the context is gone. */
async function tearDownLab(name: string, kubeconfigPath: string): Promise<void> {
  try {
    const down = await runLab(['down', name]);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(labResources(name)).toEqual({ containers: [], volumes: [], networks: [] });
    expect(existsSync(kubeconfigPath) ? readFileSync(kubeconfigPath, 'utf8') : '').not.toContain(`kind-${name}`);
  } finally {
    removeLabByLabel(name);
  }
}
