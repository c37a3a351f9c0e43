import { UsageError } from '../common/kindlab-error.js';
import type { TopologyInput } from '../topology/topology-spec.js';
import { readParticipantsFile } from './read-participants-file.js';
import { numberedLabNames, parseRoomCount, parseRoomPrefix } from './room-lab-names.js';

export interface RoomNameFlags {
  count?: string;
  participants?: string;
  prefix?: string;
  name?: string;
}

/**
 * The lab names of a room (`lab up --count N --prefix P` or `--participants FILE --prefix P`,
 * local or `--host-cluster`), each flag combination that means nothing refused first.
 */
export function roomLabNames(input: TopologyInput, flags: RoomNameFlags): { prefix: string; names: string[] } {
  if (flags.count !== undefined && flags.participants !== undefined) throw new UsageError('give --count or --participants, not both');
  if (flags.count === undefined && flags.participants === undefined) {
    throw new UsageError('--prefix names a room: give --count or --participants with it', { hint: 'e.g. `lab up single --count 12 --prefix team`' });
  }
  if (flags.name !== undefined || input.name !== undefined) {
    throw new UsageError('--name names one lab; a room takes its names from --prefix', { hint: 'drop --name (and name: in the lab file)' });
  }
  if (flags.prefix === undefined) throw new UsageError('--count and --participants need --prefix', { hint: 'e.g. `lab up single --count 12 --prefix team`' });
  const prefix = parseRoomPrefix(flags.prefix);
  const names =
    flags.participants !== undefined
      ? readParticipantsFile(flags.participants, prefix).map((p) => p.lab)
      : numberedLabNames(prefix, parseRoomCount(flags.count ?? ''));
  return { prefix, names };
}
