import type { TopologySpec } from '../topology/topology-spec.js';
import { createLab, type CreateLabOptions, type CreateLabResult } from './create-lab.js';
import type { LabDeps } from './lab-deps.js';
import { listLabNames } from './lab-status.js';
import { listPoolLabs } from './pool-labs.js';
import { suspendLab } from './suspend-lab.js';

export interface FillPoolResult {
  pool: string;
  size: number;
  /** Unclaimed labs the pool already had. */
  kept: string[];
  created: Array<Pick<CreateLabResult, 'name' | 'totalMs'>>;
}

/**
 * `lab pool fill`: tops the pool up to `size` unclaimed labs. Each new lab is made by `lab up`'s own
 * createLab (same steps, same cleanup on failure), carries the pool label on its record, and is
 * suspended once Ready, so it costs memory but no CPU until `lab claim` hands it out. Labs are made
 * one after another: a lab's creation already keeps 2 cores busy. `spec` is the template: its name is
 * replaced by `<pool>-<n>`, the first numbers no lab on the daemon uses.
 */
export async function fillPool(
  deps: LabDeps,
  spec: TopologySpec,
  options: { pool: string; size: number; create: CreateLabOptions; onLab?: (name: string, index: number, count: number) => void },
): Promise<FillPoolResult> {
  const kept = (await listPoolLabs(deps.docker, options.pool)).filter((lab) => lab.participant === undefined).map((lab) => lab.name);
  const missing = Math.max(0, options.size - kept.length);
  const { managed, kindOnly } = await listLabNames(deps);
  const taken = new Set([...managed, ...kindOnly]);
  const created: FillPoolResult['created'] = [];
  for (let n = 1; created.length < missing; n++) {
    const name = `${options.pool}-${n}`;
    if (taken.has(name)) continue;
    options.onLab?.(name, created.length + 1, missing);
    const result = await createLab(deps, { ...spec, name, pool: options.pool }, options.create);
    await suspendLab(deps.docker, name);
    created.push({ name, totalMs: result.totalMs });
  }
  return { pool: options.pool, size: options.size, kept, created };
}
