import { Argument, type Command } from './commander.js';
import { buildTopologySpec } from '../topology/build-topology-spec.js';
import { PROFILES, TOPOLOGY_KINDS } from '../topology/topology-spec.js';
import { addOutputOption } from './add-output-option.js';
import { checkChoice, choiceOption } from './choice-option.js';

export function registerCapacityCommand(command: Command): void {
  const capacity = command
    .addArgument(
      new Argument('[topology]', `one of ${TOPOLOGY_KINDS.join(', ')} (default single)`)
        .choices(TOPOLOGY_KINDS)
        .argParser((value: string) => checkChoice('topology', value, TOPOLOGY_KINDS, 'unknown')),
    )
    .addOption(
      choiceOption('--profile <profile>', 'component settings of the labs to fit (default: default; `lab up --count` uses workshop)', PROFILES, 'unknown'),
    );
  addOutputOption(capacity, ['text', 'json']).action(async (topology: string | undefined, flags: { output: string; profile?: string }) => {
    const spec = buildTopologySpec({ kind: topology ?? 'single', ...(flags.profile ? { profile: flags.profile } : {}) });
    const [{ defaultLabDeps }, { labCapacity }, { formatCapacity }, { NodeHostFilesystem }] = await Promise.all([
      import('../cluster/lab-deps.js'),
      import('../capacity/lab-capacity.js'),
      import('../capacity/format-capacity.js'),
      import('../host/node-host-filesystem.js'),
    ]);
    const deps = defaultLabDeps();
    await deps.docker.serverVersion();
    const result = await labCapacity({ docker: deps.docker, fs: new NodeHostFilesystem() }, spec);
    process.stdout.write(flags.output === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatCapacity(result));
  });
}
