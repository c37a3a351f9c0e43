import type { Command } from 'commander';
import type { FillPoolResult } from '../cluster/fill-pool.js';
import { kubeconfigPathForMerge } from '../cluster/kubeconfig-path.js';
import { DEFAULT_POOL, parsePoolName } from '../cluster/pool-name.js';
import { checkKindlabHome } from '../common/check-kindlab-home.js';
import { checkKubeconfigTarget } from '../common/check-kubeconfig-target.js';
import { UsageError } from '../common/kindlab-error.js';
import { buildTopologySpec, DEFAULT_WAIT } from '../topology/build-topology-spec.js';
import { formatDuration, parseDuration } from '../topology/parse-duration.js';
import { PROFILES } from '../topology/topology-spec.js';
import { withSignalAbort } from './with-signal-abort.js';
import { writeResult } from './write-result.js';
import { addOutputOption } from './add-output-option.js';
import { choiceOption } from './choice-option.js';
import { durationOption } from './duration-option.js';
import { topologyArgument } from './topology-argument.js';

interface FillFlags {
  size: string;
  running: string;
  pool?: string;
  profile: string;
  wait: number;
  kubeconfig?: string;
  output: string;
}

export function registerPoolCommand(command: Command): void {
  const fill = command
    .command('fill')
    .description('top the pool up to N unclaimed labs: each is created like `lab up`, then suspended until `lab claim` hands it out')
    .addArgument(topologyArgument())
    .requiredOption('--size <n>', 'how many unclaimed labs the pool should hold')
    .option('--running <n>', "how many of them stay running for an instant claim instead of suspended (each costs a running lab's idle CPU)", '0')
    .option('--pool <name>', `pool name; its labs are <pool>-1, <pool>-2, ... (default ${DEFAULT_POOL})`)
    .addOption(choiceOption('--profile <profile>', 'component settings of the labs (see templates/profiles/)', PROFILES, 'unknown').default('workshop'))
    .addOption(durationOption('--wait <duration>', 'per lab: how long to wait for nodes Ready and kube-system pods Ready', parseDuration(DEFAULT_WAIT)))
    .option('--kubeconfig <file>', "the kubeconfig file that holds the labs' contexts (default $KUBECONFIG or ~/.kube/config)");
  addOutputOption(fill, ['text', 'json']).action(async (topology: string | undefined, flags: FillFlags) => {
    const size = Number(flags.size);
    if (!/^\d+$/.test(flags.size) || size < 1 || size > 100) {
      throw new UsageError(`invalid --size "${flags.size}": must be a whole number from 1 to 100`, { hint: 'for example: lab pool fill --size 10 single' });
    }
    const running = Number(flags.running);
    if (!/^\d+$/.test(flags.running) || running > size) {
      throw new UsageError(`invalid --running "${flags.running}": must be a whole number from 0 to --size (${size})`, {
        hint: 'for example: lab pool fill --size 10 --running 2 single',
      });
    }
    const pool = parsePoolName(flags.pool);
    // The template of every lab of the pool; its name is replaced per lab.
    const spec = buildTopologySpec({
      kind: topology,
      name: `${pool}-1`,
      profile: flags.profile,
      wait: formatDuration(flags.wait),
      ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    });
    checkKindlabHome();
    checkKubeconfigTarget(kubeconfigPathForMerge(spec.kubeconfig));
    const [{ fillPool }, { defaultLabDeps }] = await Promise.all([import('../cluster/fill-pool.js'), import('../cluster/lab-deps.js')]);
    const json = flags.output === 'json';
    const deps = defaultLabDeps();
    await deps.docker.serverVersion();
    const result = await withSignalAbort(
      (signal) => {
        if (!json) process.stderr.write(`\n${signal}: stopping and removing the lab being created (labs already in the pool stay)\n`);
      },
      (signal) =>
        fillPool(deps, spec, {
          pool,
          size,
          running,
          create: { renderer: json ? 'silent' : 'default', signal },
          onLab: (name, index, count) => {
            if (!json) process.stdout.write(`pool ${pool}: creating lab ${name} (${index} of ${count})\n`);
          },
        }),
    );
    writeResult(
      json,
      result,
      (r) =>
        `pool ${pool}: ${r.kept.length + r.created.length} unclaimed lab(s), ${poolStates(r)}` +
        `${r.created.length ? `; created ${r.created.map((c) => `${c.name} (${(c.totalMs / 1000).toFixed(0)}s)`).join(', ')}` : '; nothing to create'}\n` +
        `  lab claim <participant>${pool === DEFAULT_POOL ? '' : ` --pool ${pool}`}\n`,
    );
  });

  const drain = command
    .command('drain')
    .description("remove every lab of the pool, claimed or not (found by the pool label), and the participants' kubeconfig files")
    .option('--pool <name>', `pool name (default ${DEFAULT_POOL})`);
  addOutputOption(drain, ['text', 'json']).action(async (flags: { pool?: string; output: string }) => {
    const pool = parsePoolName(flags.pool);
    checkKindlabHome();
    const [{ drainPool }, { defaultLabDeps }] = await Promise.all([import('../cluster/drain-pool.js'), import('../cluster/lab-deps.js')]);
    const deps = defaultLabDeps();
    await deps.docker.serverVersion();
    const outcomes = await drainPool(deps, pool);
    writeResult(flags.output === 'json', outcomes, (all) =>
      all.length === 0
        ? `pool ${pool} has no labs\n`
        : all.map((o) => `lab ${o.name}: ${o.outcome}${'error' in o ? ` (${o.error.split('\n')[0]})` : ''}\n`).join(''),
    );
  });
}

/** "suspended until claimed", or how many run for an instant claim and which this call thawed or froze. */
function poolStates(r: FillPoolResult): string {
  const suspended = r.kept.length + r.created.length - r.running.length;
  const changed = [...(r.thawed.length ? [`thawed ${r.thawed.join(', ')}`] : []), ...(r.frozen.length ? [`froze ${r.frozen.join(', ')}`] : [])];
  const states = r.running.length === 0 ? 'suspended until claimed' : `${r.running.length} running for an instant claim, ${suspended} suspended`;
  return changed.length ? `${states} (${changed.join('; ')})` : states;
}
