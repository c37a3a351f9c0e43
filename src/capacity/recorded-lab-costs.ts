import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/paths.js';
import { validateWithSchema } from '../common/validate-with-schema.js';
import type { ProfileName, TopologyKind } from '../topology/topology-spec.js';
import type { LabCost } from './lab-cost.js';

/** The recorded costs, relative to the project root (schema: templates/schemas/lab-costs.schema.json). */
export const RECORDED_LAB_COSTS_FILE = 'templates/capacity/lab-costs.json';

export interface RecordedLabCosts {
  measuredOn: { date: string; host: string; nodeImage: string; how: string };
  topologies: Record<TopologyKind, LabCost>;
  /** What a profile changes of a topology's row: the cgroup-measured parts (disk and inotify stay the topology's). */
  profiles?: Partial<Record<ProfileName, Partial<Record<TopologyKind, ProfileCost>>>>;
}

type ProfileCost = Pick<LabCost, 'memoryBytes' | 'cpuCores' | 'pids' | 'source'> & { measuredOn: { date: string; how: string } };

/**
 * The cost of one idle lab of `topology` (with `profile`'s row over it where one is recorded), its
 * source naming the file, the host and the date.
 */
export function recordedLabCost(topology: TopologyKind, profile?: ProfileName, recorded: RecordedLabCosts = loadRecordedLabCosts()): LabCost {
  const row = recorded.topologies[topology];
  const source = `${RECORDED_LAB_COSTS_FILE} (${row.source}, ${recorded.measuredOn.date}, ${recorded.measuredOn.host})`;
  const over = profile ? recorded.profiles?.[profile]?.[topology] : undefined;
  if (!over) return { ...row, source };
  const { measuredOn, ...cost } = over;
  return {
    ...row,
    ...cost,
    source: `${RECORDED_LAB_COSTS_FILE} (profile ${profile}: ${over.source}, ${measuredOn.date}; disk and inotify: ${row.source})`,
  };
}

export function loadRecordedLabCosts(path = join(projectRoot(), RECORDED_LAB_COSTS_FILE)): RecordedLabCosts {
  const data = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  validateWithSchema(data, 'lab-costs', path);
  return data as RecordedLabCosts;
}
