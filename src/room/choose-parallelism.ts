import { formatBytes } from '../common/format-bytes.js';
import { MEMORY_NEED } from '../host/check-host-limits.js';

export interface Parallelism {
  /** How many labs are created at once. */
  parallel: number;
  /** Why, in words, for the line `lab up --count` prints before it starts. */
  reason: string;
}

export interface ParallelismInput {
  count: number;
  /** CPUs of the host (os.availableParallelism()). */
  cores: number;
  /** MemAvailable from /proc/meminfo. */
  availableMemoryBytes: number;
  /** Nodes per lab of the topology. */
  nodesPerLab: number;
}

/**
 * Creating a lab is CPU-bound (kubeadm, etcd's first writes, every control-plane component
 * starting): one creation per core; more makes each slower without finishing the room sooner, and
 * on a loaded host the waits of `lab up` run out. Each creation in flight also needs the memory
 * `lab host prepare` asks per node (MEMORY_NEED), so a host short of memory creates fewer at once.
 */
export function chooseParallelism(input: ParallelismInput): Parallelism {
  const byCpu = Math.max(1, Math.floor(input.cores));
  const perLab = MEMORY_NEED.perNodeBytes * Math.max(1, input.nodesPerLab);
  const byMemory = Math.max(1, Math.floor(input.availableMemoryBytes / perLab));
  const parallel = Math.max(1, Math.min(input.count, byCpu, byMemory));
  const limits = [`${input.cores} core(s): ${byCpu}`, `${formatBytes(input.availableMemoryBytes)} available at ${formatBytes(perLab)} per lab: ${byMemory}`];
  return { parallel, reason: `at most one per core and per ${formatBytes(perLab)} of free memory (${limits.join('; ')})` };
}
