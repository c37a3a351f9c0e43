import { UsageError } from './kindlab-error.js';
import { parseLabName } from './parse-lab-name.js';

/** The labs on the Docker host, found by kind's cluster label (running or stopped). */
export interface LabLister {
  listClusters(): Promise<string[]>;
}

/**
 * The one way inspect, report, verify and tour pick their lab: a name given is checked
 * (parseLabName) and must exist; without one, the only lab there is. Every message names the
 * command the user ran (`command` is e.g. "verify"), so the hint is a line they can paste.
 */
export async function resolveLabName(labs: LabLister, requested: string | undefined, command: string): Promise<string> {
  if (requested !== undefined) parseLabName(requested);
  const running = await labs.listClusters();
  if (requested !== undefined) {
    if (running.includes(requested)) return requested;
    throw new UsageError(`no lab named ${JSON.stringify(requested)} exists`, {
      hint:
        running.length > 0
          ? `labs: ${running.join(', ')}; for example: lab ${command} ${running[0]}`
          : `create it with \`lab up --name ${requested}\`, then run \`lab ${command} ${requested}\``,
    });
  }
  if (running.length === 1) return running[0]!;
  if (running.length === 0) throw new UsageError('no lab exists', { hint: `create one with \`lab up\`, then run \`lab ${command}\`` });
  throw new UsageError(`several labs exist (${running.join(', ')}); name one`, { hint: `for example: lab ${command} ${running[0]}` });
}
