import type { LabDeps } from './lab-deps.js';
import { getLabStatus, listLabNames, type LabStatus } from './lab-status.js';

/** Every lab on the daemon (kindlab's first, then plain kind clusters), as `lab list` and `lab status` show them. */
export async function listLabStatuses(deps: LabDeps): Promise<LabStatus[]> {
  const { managed, kindOnly } = await listLabNames(deps);
  const labs: LabStatus[] = [];
  for (const name of [...managed, ...kindOnly]) {
    const status = await getLabStatus(deps, name);
    if (status) labs.push(status);
  }
  return labs;
}
