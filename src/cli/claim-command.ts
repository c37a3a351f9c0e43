import type { Command } from 'commander';
import { checkKindlabHome } from '../common/check-kindlab-home.js';
import { parseLabName } from '../common/parse-lab-name.js';
import { DEFAULT_WAIT } from '../topology/build-topology-spec.js';
import { parseDuration } from '../topology/parse-duration.js';
import { withSignalAbort } from './with-signal-abort.js';
import { writeResult } from './write-result.js';
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
    const result = await withSignalAbort(
      () => {},
      (signal) => claimPoolLab(deps, participant, { pool, waitMs: flags.wait, signal }),
    );
    const text = (r: typeof result): string =>
      `lab ${r.lab} ${r.again ? 'is already' : 'handed to'} ${participant}${r.again ? "'s" : ''}: Ready in ${(r.totalMs / 1000).toFixed(1)}s${r.thawed ? ' (thawed)' : ' (it was running)'}\n` +
      `  kubectl --kubeconfig ${r.kubeconfig} get nodes\n` +
      `  lab verify ${participant}    lab status ${participant}\n`;
    writeResult(flags.output === 'json', result, text);
  });
}
