import { Argument } from './commander.js';
import { TOPOLOGY_KINDS } from '../topology/topology-spec.js';
import { checkChoice } from './choice-option.js';

/** The `[topology]` argument of `lab up` and `lab pool fill`: one of the topologies, or one `error:` line. */
export function topologyArgument(): Argument {
  return new Argument('[topology]', `one of ${TOPOLOGY_KINDS.join(', ')} (default single)`)
    .choices(TOPOLOGY_KINDS)
    .argParser((value: string) => checkChoice('topology', value, TOPOLOGY_KINDS, 'unknown'));
}
