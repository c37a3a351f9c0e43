import { checkKindlabHome } from '../common/check-kindlab-home.js';
import { parseOptionalLabName } from '../common/parse-lab-name.js';
import type { LabDeps } from '../cluster/lab-deps.js';
import { DEFAULT_LAB_NAME } from '../topology/build-topology-spec.js';

/**
 * What `lab stop` and `lab start` do around their work: check the name and KINDLAB_HOME first,
 * reach the daemon, resolve a participant's name to its pool lab, then hold the lab's lock (one
 * `lab up/down/stop/start` per lab at a time).
 */
export async function withLockedLab<T>(name: string | undefined, work: (lab: string, deps: LabDeps) => Promise<T>): Promise<T> {
  const given = parseOptionalLabName(name) ?? DEFAULT_LAB_NAME;
  checkKindlabHome();
  const [{ defaultLabDeps }, { acquireLabLock }, { labForName }] = await Promise.all([
    import('../cluster/lab-deps.js'),
    import('../cluster/lab-lock.js'),
    import('../cluster/lab-for-name.js'),
  ]);
  const deps = defaultLabDeps();
  await deps.docker.serverVersion();
  const lab = await labForName(deps.docker, given);
  const lock = acquireLabLock(lab);
  try {
    return await work(lab, deps);
  } finally {
    lock.release();
  }
}
