import type { Command } from 'commander';
import { checkKindlabHome } from '../common/check-kindlab-home.js';
import { parseLabName } from '../common/parse-lab-name.js';
import { DEFAULT_WAIT } from '../topology/build-topology-spec.js';
import { parseDuration } from '../topology/parse-duration.js';
import { abortOnSignals } from './abort-on-signals.js';
import { addOutputOption } from './add-output-option.js';
import { durationOption } from './duration-option.js';
import { DEFAULT_POOL, parsePoolName } from '../cluster/pool-name.js';

export function registerClaimCommand(command: Command): void {
  const claim = command
    .argument('<participant>', 'who gets the lab (a DNS label such as alice or team-3): names their context and kubeconfig file')
    .option('--pool <name>', `the pool to take the lab from (default ${DEFAULT_POOL})`)
    .addOption(durationOption('--wait <duration>', 'how long to wait for the resumed lab to be Ready', parseDuration(DEFAULT_WAIT)));
  addOutputOption(claim, ['text', 'json']).action(async (participant: string, flags: { pool?: string; wait: number; output: string }) => {
    parseLabName(participant, 'participant name');
    const pool = parsePoolName(flags.pool);
    checkKindlabHome();
    const [{ defaultLabDeps }, { claimPoolLab }] = await Promise.all([import('../cluster/lab-deps.js'), import('../cluster/claim-pool-lab.js')]);
    const deps = defaultLabDeps();
    await deps.docker.serverVersion();
    const interrupt = abortOnSignals(() => {});
    try {
      const result = await claimPoolLab(deps, participant, { pool, waitMs: flags.wait, signal: interrupt.signal });
      process.stdout.write(
        flags.output === 'json'
          ? `${JSON.stringify(result)}\n`
          : `lab ${result.lab} ${result.again ? 'is already' : 'handed to'} ${participant}${result.again ? "'s" : ''}: Ready in ${(result.totalMs / 1000).toFixed(1)}s\n` +
              `  kubectl --kubeconfig ${result.kubeconfig} get nodes\n` +
              `  lab verify ${participant}    lab status ${participant}\n`,
      );
    } finally {
      interrupt.dispose();
    }
  });
}
