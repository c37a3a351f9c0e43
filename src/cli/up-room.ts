import { availableParallelism } from 'node:os';
import { kubeconfigPathForMerge } from '../cluster/kubeconfig-path.js';
import { checkKindlabHome } from '../common/check-kindlab-home.js';
import { checkKubeconfigTarget } from '../common/check-kubeconfig-target.js';
import { KindlabError, UsageError } from '../common/kindlab-error.js';
import { roomLabNames } from '../room/room-lab-names-from-flags.js';
import { buildTopologySpec, nodeCount } from '../topology/build-topology-spec.js';
import type { TopologyInput } from '../topology/topology-spec.js';
import { abortOnSignals, exitCodeForSignal } from './abort-on-signals.js';

export interface RoomFlags {
  count?: string;
  participants?: string;
  prefix?: string;
  name?: string;
  json: boolean;
}

/**
 * `lab up --count N --prefix P` / `--participants FILE --prefix P`: names and specs checked, then
 * the room checked against the host's capacity, all before anything is created; then every lab
 * through createLab, a bounded number at a time, and a summary.
 */
export async function runRoomUp(input: TopologyInput, flags: RoomFlags): Promise<void> {
  const { prefix, names } = roomLabNames(input, flags);
  const specs = names.map((name) => buildTopologySpec({ ...input, name }));
  const first = specs[0] as (typeof specs)[number];
  const countFlag = flags.participants !== undefined ? '--participants' : '--count';
  checkKindlabHome();
  checkKubeconfigTarget(kubeconfigPathForMerge(first.kubeconfig));

  const [
    { defaultLabDeps },
    { labCapacity },
    { checkRoomFits },
    { NodeHostFilesystem },
    { listLabNames },
    { createRoom },
    { chooseParallelism },
    { formatRoomSummary },
  ] = await Promise.all([
    import('../cluster/lab-deps.js'),
    import('../capacity/lab-capacity.js'),
    import('../capacity/check-room-fits.js'),
    import('../host/node-host-filesystem.js'),
    import('../cluster/lab-status.js'),
    import('../room/create-room.js'),
    import('../room/choose-parallelism.js'),
    import('../room/format-room-summary.js'),
  ]);
  const deps = defaultLabDeps();
  await deps.docker.serverVersion();
  const existing = new Set(Object.values(await listLabNames(deps)).flat());
  const taken = names.filter((n) => existing.has(n));
  if (taken.length > 0) {
    throw new UsageError(`${countFlag}: lab(s) ${taken.join(', ')} already exist`, {
      hint: `choose another --prefix, or remove them with \`lab down --prefix ${prefix}\``,
    });
  }
  const capacity = await labCapacity({ docker: deps.docker, fs: new NodeHostFilesystem() }, first);
  checkRoomFits(capacity, specs.length, countFlag);
  const { parallel, reason } = chooseParallelism({
    count: specs.length,
    cores: availableParallelism(),
    availableMemoryBytes: capacity.host.memoryAvailableBytes,
    nodesPerLab: nodeCount(first),
  });
  const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
  if (flags.json) print({ event: 'room', room: prefix, labs: names, parallel, reason, fits: capacity.fit.fits });
  else process.stdout.write(`creating ${specs.length} ${first.kind} lab(s) for room ${prefix}, ${parallel} at a time: ${reason}\n`);

  const interrupt = abortOnSignals((signal) => {
    if (!flags.json) process.stderr.write(`\n${signal}: stopping; each lab being created removes what its run created (press Ctrl-C again to quit at once)\n`);
  });
  try {
    const results = await createRoom(deps, specs, {
      room: prefix,
      parallel,
      signal: interrupt.signal,
      renderer: flags.json ? 'silent' : 'default',
      onEvent: flags.json ? (lab, event) => print({ lab, ...event }) : undefined,
    });
    if (flags.json) print({ event: 'result', ok: results.every((r) => r.state === 'ready'), labs: results });
    else process.stdout.write(`\n${formatRoomSummary(results)}`);
    if (interrupt.signal.aborted) {
      throw new KindlabError(`lab up interrupted by ${String(interrupt.signal.reason)}`, { exitCode: exitCodeForSignal(interrupt.signal.reason) });
    }
    const failed = results.filter((r) => r.state !== 'ready');
    if (failed.length > 0) {
      throw new KindlabError(`failed to create ${failed.length} of ${results.length} labs: ${failed.map((r) => r.name).join(', ')}`, {
        hint: `the ready labs are kept; see the errors above, then \`lab down <name>\` and \`lab up\` again for each, or \`lab down --prefix ${prefix}\``,
      });
    }
  } finally {
    interrupt.dispose();
  }
}
