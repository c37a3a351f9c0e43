import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/paths.js';
import { validateWithSchema } from '../common/validate-with-schema.js';
import type { TopologyKind } from '../topology/topology-spec.js';
import type { LabCost } from './lab-cost.js';

/** The recorded costs, relative to the project root (schema: templates/schemas/lab-costs.schema.json). */
export const RECORDED_LAB_COSTS_FILE = 'templates/capacity/lab-costs.json';

export interface RecordedLabCosts {
  measuredOn: { date: string; host: string; nodeImage: string; how: string };
  topologies: Record<TopologyKind, Omit<LabCost, 'source'> & { source: string }>;
}

/** The cost of one idle lab of `topology` as recorded, its source naming the file, the host and the date. */
export function recordedLabCost(topology: TopologyKind, recorded: RecordedLabCosts = loadRecordedLabCosts()): LabCost {
  const row = recorded.topologies[topology];
  return { ...row, source: `${RECORDED_LAB_COSTS_FILE} (${row.source}, ${recorded.measuredOn.date}, ${recorded.measuredOn.host})` };
}

export function loadRecordedLabCosts(path = join(projectRoot(), RECORDED_LAB_COSTS_FILE)): RecordedLabCosts {
  const data = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  validateWithSchema(data, 'lab-costs', path);
  return data as RecordedLabCosts;
}
