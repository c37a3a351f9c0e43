import type { Command } from 'commander';
import { formatLabStatus } from '../cluster/format-lab-status.js';
import { kindlabHome } from '../common/paths.js';
import { KindlabError } from '../common/kindlab-error.js';
import { parseOptionalLabName } from '../common/parse-lab-name.js';
import { addOutputOption } from './add-output-option.js';

/** Long enough to count a 15 %-of-a-core lab's CPU time (0.3 s), short enough for a status; also the youngest earlier read used. */
const STATUS_SAMPLE_MS = 2000;

export function registerStatusCommand(command: Command): void {
  const status = command.argument('[name]', 'lab name, or the participant a pool lab was handed to (default: every lab)');
  addOutputOption(status, ['text', 'json']).action(async (name: string | undefined, flags: { output: string }) => {
    parseOptionalLabName(name);
    const { hostedLabRecords, hostedLabStatuses } = await import('./hosted-statuses.js');
    const hosted = await hostedLabRecords(name);
    if (name !== undefined && hosted.length === 1) {
      const [status] = await hostedLabStatuses(hosted);
      const { formatLabStatus } = await import('../cluster/format-lab-status.js');
      process.stdout.write(flags.output === 'json' ? `${JSON.stringify(status, null, 2)}\n` : formatLabStatus(status!, new Date()));
      return;
    }
    const [{ defaultDockerCli }, { readLabObjects }] = await Promise.all([import('../docker/default-docker-cli.js'), import('../cluster/read-lab-objects.js')]);
    const docker = defaultDockerCli();
    // The listing starts first: the rest of the command loads while docker runs. No call of its own up
    // front: the listing answering shows the daemon is up; only when it fails is the daemon asked for
    // its version, so a daemon that is down still fails with that one clear error.
    const reading = readLabObjects(docker, name, { participants: true }).catch(async (error: unknown) => {
      await docker.serverVersion();
      throw error;
    });
    reading.catch(() => undefined);
    const [{ defaultLabDeps }, { getLabStatus, labNamesIn }, { listLabStatuses }, { measureLabUseWithReads }, { formatLabUse }, { CpuCounterStore }] =
      await Promise.all([
        import('../cluster/lab-deps.js'),
        import('../cluster/lab-status.js'),
        import('../cluster/list-lab-statuses.js'),
        import('../capacity/measure-lab-costs.js'),
        import('../capacity/format-capacity.js'),
        import('../capacity/cpu-counter-store.js'),
      ]);
    const deps = defaultLabDeps(undefined, docker);
    const json = flags.output === 'json';
    const { lab, ...objects } = await reading;
    // What each running lab costs now, from its containers' own cgroups: CPU since the previous status
    // when that was at least STATUS_SAMPLE_MS ago, else over a STATUS_SAMPLE_MS sample. Read while the
    // labs' APIs are asked, from the containers already read (labs with none running are left out).
    const counters = CpuCounterStore.inHome(kindlabHome());
    const names = lab !== undefined ? [lab] : Object.values(labNamesIn(objects)).flat();
    const [labs, measured] = await Promise.all([
      lab !== undefined ? getLabStatus(deps, lab, { objects }).then((status) => (status ? [status] : [])) : listLabStatuses(deps, objects),
      measureLabUseWithReads(deps.docker, names, {
        intervalMs: STATUS_SAMPLE_MS,
        earlier: counters.earliest(Date.now(), STATUS_SAMPLE_MS),
        containers: objects.containers,
      }),
    ]);
    if (name && labs.length === 0) throw new KindlabError(`lab ${name} does not exist`, { hint: 'see `lab list`', exitCode: 3 });
    counters.save(measured.reads, Date.now(), STATUS_SAMPLE_MS);
    const withUse = [...labs, ...(await hostedLabStatuses(hosted))].map((l) => ({ ...l, use: measured.byLab.get(l.name) }));
    const text = (l: (typeof withUse)[number]) => `${formatLabStatus(l, deps.now())}${l.use ? `use now:    ${formatLabUse(l.use)}\n` : ''}`;
    if (json) process.stdout.write(`${JSON.stringify(name ? withUse[0] : withUse, null, 2)}\n`);
    else process.stdout.write(withUse.map(text).join('\n') || 'no labs\n');
  });
}
