import type { LabDeps } from './lab-deps.js';
import { getLabStatus, labNamesIn, type LabStatus } from './lab-status.js';
import { readLabObjects, type LabObjects } from './read-lab-objects.js';

/**
 * Every lab on the daemon (kindlab's first, then plain kind clusters), as `lab list` and `lab status`
 * show them: the Docker objects read once for all of them (or given, already read), the labs' APIs asked at once.
 */
export async function listLabStatuses(deps: LabDeps, objects?: LabObjects): Promise<LabStatus[]> {
  const read = objects ?? (await readLabObjects(deps.docker));
  const { managed, kindOnly } = labNamesIn(read);
  const labs = await Promise.all([...managed, ...kindOnly].map((name) => getLabStatus(deps, name, { objects: read })));
  return labs.filter((status): status is LabStatus => status !== undefined);
}
