import type { TopologySpec } from '../topology/topology-spec.js';
import { createLab, type CreateLabOptions, type CreateLabResult } from './create-lab.js';
import type { LabDeps } from './lab-deps.js';
import { listLabNames } from './lab-status.js';
import { listPoolLabs } from './pool-labs.js';
import { resumeLab } from './resume-lab.js';
import { suspendLab } from './suspend-lab.js';

export interface FillPoolResult {
  pool: string;
  size: number;
  /** Unclaimed labs the pool already had. */
  kept: string[];
  created: Array<Pick<CreateLabResult, 'name' | 'totalMs'>>;
  /** Unclaimed labs left running for an instant claim (`--running`); the others are suspended. */
  running: string[];
  /** Labs of the pool this call thawed to keep `running` of them running. */
  thawed: string[];
  /** Labs of the pool this call froze because more than `running` were running. */
  frozen: string[];
}

export interface FillPoolOptions {
  pool: string;
  size: number;
  /**
   * How many unclaimed labs stay running instead of suspended (default 0). A claim of one of them
   * waits for no thaw: after a long freeze the node lifecycle controller marks the node Unknown and
   * its pods NotReady, and they come back only at the kubelet's next pod status sync (up to 10 s).
   * Each one costs a running lab's idle CPU.
   */
  running?: number;
  create: CreateLabOptions;
  /** Tests only: the settle time of a thaw (see ResumeOptions). */
  settleMs?: number;
  onLab?: (name: string, index: number, count: number) => void;
}

/**
 * `lab pool fill`: tops the pool up to `size` unclaimed labs. Each new lab is made by `lab up`'s own
 * createLab (same steps, same cleanup on failure), carries the pool label on its record, and is
 * suspended once Ready, so it costs memory but no CPU until `lab claim` hands it out, unless it is
 * one of the `running` labs kept Ready for an instant claim. Labs are made one after another: a
 * lab's creation already keeps 2 cores busy. `spec` is the template: its name is replaced by
 * `<pool>-<n>`, the first numbers no lab on the daemon uses. Then the unclaimed labs are brought to
 * `running` running ones: the oldest suspended ones thawed (and waited for), or the newest running
 * ones frozen.
 */
export async function fillPool(deps: LabDeps, spec: TopologySpec, options: FillPoolOptions): Promise<FillPoolResult> {
  const target = options.running ?? 0;
  const unclaimed = (await listPoolLabs(deps.docker, options.pool)).filter((lab) => lab.participant === undefined);
  const kept = unclaimed.map((lab) => lab.name);
  const running = unclaimed.filter((lab) => lab.running).map((lab) => lab.name);
  const missing = Math.max(0, options.size - kept.length);
  const { managed, kindOnly } = await listLabNames(deps);
  const taken = new Set([...managed, ...kindOnly]);
  const created: FillPoolResult['created'] = [];
  for (let n = 1; created.length < missing; n++) {
    const name = `${options.pool}-${n}`;
    if (taken.has(name)) continue;
    options.onLab?.(name, created.length + 1, missing);
    const result = await createLab(deps, { ...spec, name, pool: options.pool }, options.create);
    // A new lab is Ready now: kept running if the pool needs one more running, else frozen.
    if (running.length < target) running.push(name);
    else await suspendLab(deps.docker, name);
    created.push({ name, totalMs: result.totalMs });
  }
  const thawed: string[] = [];
  for (const lab of unclaimed.filter((l) => l.suspended)) {
    if (running.length >= target) break;
    const settle = options.settleMs === undefined ? {} : { settleMs: options.settleMs };
    await resumeLab(deps, lab.name, { waitMs: spec.waitMs, signal: options.create.signal, ...settle });
    running.push(lab.name);
    thawed.push(lab.name);
  }
  const frozen: string[] = [];
  while (running.length > target) {
    const newest = running.pop()!;
    await suspendLab(deps.docker, newest);
    frozen.push(newest);
  }
  return { pool: options.pool, size: options.size, kept, created, running, thawed, frozen };
}
