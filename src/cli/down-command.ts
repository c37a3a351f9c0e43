import type { Command } from 'commander';
import type { DeleteOutcome } from '../cluster/delete-labs.js';
import { checkKindlabHome } from '../common/check-kindlab-home.js';
import { KindlabError, UsageError } from '../common/kindlab-error.js';
import { isValidLabName, parseLabName, parseOptionalLabName } from '../common/parse-lab-name.js';
import { DEFAULT_LAB_NAME } from '../topology/build-topology-spec.js';
import { addOutputOption } from './add-output-option.js';

interface DownFlags {
  all?: boolean;
  prefix?: string;
  output: string;
}

export function registerDownCommand(command: Command): void {
  const down = command
    .argument('[name]', `lab name (default ${DEFAULT_LAB_NAME})`)
    .option('--all', 'remove every lab kindlab created; goes on past a busy or failing lab and reports each')
    .option('--prefix <prefix>', 'remove every lab `lab up --count/--participants --prefix <prefix>` created (found by label, not by name)');
  addOutputOption(down, ['text', 'json']).action(async (name: string | undefined, { all, prefix, output }: DownFlags) => {
    // --prefix removes many labs as --all does: past a busy or failing one, each reported.
    const flags = { all: all || prefix !== undefined, json: output === 'json' };
    if (name && all) throw new UsageError('give a lab name or --all, not both');
    if ((name || all) && prefix !== undefined) throw new UsageError('give a lab name, --all or --prefix, not two of them');
    if (prefix !== undefined) parseLabName(prefix, '--prefix');
    // The name becomes a lock file path and a label filter: checked before either.
    parseOptionalLabName(name);
    checkKindlabHome();
    const { readHostedLabRecord, listHostedLabRecords } = await import('../hosted/hosted-lab-record.js');
    const hostedOne = name !== undefined ? readHostedLabRecord(name) : undefined;
    // Hosted labs live in another cluster: removed through it, whether this machine's Docker answers or not.
    const hosted = hostedOne ? [hostedOne] : flags.all ? listHostedLabRecords().filter((r) => prefix === undefined || r.room === prefix) : [];
    const { downHostedLabs, describeHostedDown } = await import('./down-hosted.js');
    const hostedOutcomes = hosted.length > 0 ? await downHostedLabs(hosted) : [];
    const hostedFailed = hostedOutcomes.filter((o) => o.outcome === 'failed');
    if (hostedOne) {
      const [outcome] = hostedOutcomes;
      if (outcome?.outcome === 'failed') throw new KindlabError(`failed to remove hosted lab ${outcome.name}: ${outcome.error}`);
      process.stdout.write(flags.json ? `${JSON.stringify(hostedOutcomes)}\n` : `${describeHostedDown(outcome!)}\n`);
      return;
    }
    if (!flags.json) for (const o of hostedOutcomes) process.stdout.write(`${describeHostedDown(o)}\n`);
    // Loaded after the checks: the Kubernetes client takes seconds to load.
    const [{ deleteLabs }, { defaultLabDeps }, { listLabNames }, { listRoomLabs }] = await Promise.all([
      import('../cluster/delete-labs.js'),
      import('../cluster/lab-deps.js'),
      import('../cluster/lab-status.js'),
      import('../room/list-room-labs.js'),
    ]);
    const deps = defaultLabDeps();
    await deps.docker.serverVersion();
    const found = prefix !== undefined ? await listRoomLabs(deps.docker, prefix) : flags.all ? (await listLabNames(deps)).managed : [name ?? DEFAULT_LAB_NAME];
    // A label value on a shared daemon is anyone's input too: a bad one never reaches a lock path or a filter.
    for (const lab of found.filter((n) => !isValidLabName(n))) {
      process.stderr.write(`warning: skipping ${JSON.stringify(lab)} found on the Docker daemon: not a valid lab name\n`);
    }
    const names = found.filter(isValidLabName);
    let kind;
    try {
      kind = await deps.kind();
    } catch (error) {
      // Without kind the containers still go by label; only the kubeconfig context stays behind.
      if (!flags.json) process.stderr.write(`warning: ${(error as Error).message}; kubeconfig contexts are left in place\n`);
    }
    const outcomes = await deleteLabs({ docker: deps.docker, kind }, names);
    const failed = outcomes.filter((o) => o.outcome === 'busy' || o.outcome === 'failed');
    // One lab by name: its error is the command's error (busy exits 2), as before --all existed.
    if (!flags.all && failed.length === 1) throw rethrown(failed[0] as Extract<DeleteOutcome, { error: string }>);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify([...outcomes, ...hostedOutcomes])}\n`);
    } else {
      if (outcomes.length === 0 && hostedOutcomes.length === 0) process.stdout.write('no labs to remove\n');
      for (const o of outcomes) process.stdout.write(`${describe(o)}\n`);
    }
    if (failed.length + hostedFailed.length > 0) {
      const all = [...failed, ...hostedFailed];
      throw new KindlabError(
        `failed to remove ${all.length} of ${outcomes.length + hostedOutcomes.length} labs: ${all.map((o) => `${o.name} (${o.outcome})`).join(', ')}`,
        {
          hint: `see each lab above; run \`lab down ${prefix !== undefined ? `--prefix ${prefix}` : '--all'}\` again once they are free`,
        },
      );
    }
  });
}

function describe(o: DeleteOutcome): string {
  switch (o.outcome) {
    case 'removed':
      return `lab ${o.name} removed: ${o.containers.length} container(s) [${o.containers.join(', ')}], ${o.volumes.length} volume(s)${o.kubeconfig ? `, context kind-${o.name} from ${o.kubeconfig}` : ''}`;
    case 'absent':
      return `lab ${o.name} does not exist (nothing to remove)`;
    default:
      return `lab ${o.name} not removed (${o.outcome}): ${o.error.split('\n')[0]}${o.hint ? ` (hint: ${o.hint})` : ''}`;
  }
}

function rethrown(o: Extract<DeleteOutcome, { error: string }>): KindlabError {
  return new KindlabError(o.error, { hint: o.hint, exitCode: o.exitCode });
}
