import type { Command } from 'commander';
import type { StepEvent } from '../cluster/create-lab.js';
import { kubeconfigPathForMerge } from '../cluster/kubeconfig-path.js';
import { checkKindlabHome } from '../common/check-kindlab-home.js';
import { checkKubeconfigTarget } from '../common/check-kubeconfig-target.js';
import { KindlabError, UsageError } from '../common/kindlab-error.js';
import { buildTopologySpec, DEFAULT_LAB_NAME, DEFAULT_WAIT } from '../topology/build-topology-spec.js';
import { formatDuration, parseDuration } from '../topology/parse-duration.js';
import { ETCD_MODES, PROFILES, type TopologyInput } from '../topology/topology-spec.js';
import { abortOnSignals, exitCodeForSignal } from './abort-on-signals.js';
import { addOutputOption } from './add-output-option.js';
import { choiceOption } from './choice-option.js';
import { durationOption } from './duration-option.js';
import { topologyArgument } from './topology-argument.js';

interface UpFlags {
  file?: string;
  name?: string;
  workers?: string;
  controlPlanes?: string;
  etcd?: string;
  image?: string;
  kubernetesVersion?: string;
  port?: string[];
  retain?: boolean;
  wait?: number;
  kubeconfig?: string;
  count?: string;
  participants?: string;
  prefix?: string;
  profile?: string;
  hostCluster?: string;
  hostContext?: string;
  hostNamespace?: string;
  output: string;
}

export function registerUpCommand(command: Command): void {
  const up = command
    .addArgument(topologyArgument())
    .option('-f, --file <lab.yaml>', 'read the lab from a YAML file with the same fields as the flags')
    .option('--name <name>', `lab (and kind cluster) name (default ${DEFAULT_LAB_NAME})`)
    .option('--workers <n>', 'worker nodes (multi: default 2, ha: default 1)')
    .option('--control-planes <n>', 'control-plane nodes for ha (odd, >= 3, default 3)')
    .addOption(choiceOption('--etcd <mode>', 'stacked (static pods on the control planes) or external (own container)', ETCD_MODES, 'unknown'))
    .option('--image <ref>', "node image (default: the offline kindlab image when built, else kind's published one)")
    .option('--kubernetes-version <version>', 'pick kindlab/node:<version> (offline) or kindest/node:<version>')
    .option('--port <hostPort:containerPort>', 'publish a port of the first control plane (repeatable)', collect)
    .option('--retain', 'keep the nodes when creation fails, for debugging')
    .addOption(
      durationOption('--wait <duration>', 'how long to wait for nodes Ready and kube-system pods Running', parseDuration(DEFAULT_WAIT), {
        allowZero: true,
      }).default(undefined, DEFAULT_WAIT),
    )
    .option('--kubeconfig <file>', "the kubeconfig file that holds the lab's context: the context is merged there (default $KUBECONFIG or ~/.kube/config)")
    .option('--count <n>', 'create n labs for a room, named <prefix>-01 ... (needs --prefix; refused when the host cannot hold them)')
    .option('--participants <file>', 'create one lab per participant named in the file, one name a line: <prefix>-<name> (needs --prefix)')
    .option('--prefix <prefix>', 'the room: the start of every lab name of --count/--participants, and what `lab down --prefix` removes')
    .option(
      '--host-cluster <kubeconfig>',
      "run the lab inside a pod of that Kubernetes cluster (Docker in Docker), placed by its scheduler; this machine's Docker only supplies the images",
    )
    .option('--host-context <context>', "the context of --host-cluster's kubeconfig to use (default: its current context)")
    .option('--host-namespace <namespace>', "the host cluster's namespace for the lab's pod and Service (default: default)")
    .addOption(
      choiceOption('--profile <profile>', 'component settings: default, or workshop (lean: less idle CPU, see templates/profiles/)', PROFILES, 'unknown'),
    );
  // -o json: one JSON event per line and a final result instead of progress.
  addOutputOption(up, ['text', 'json']).action(async (topology: string | undefined, flags: UpFlags) => {
    const { loadLabFile } = await import('../topology/load-lab-file.js');
    const fromFile: TopologyInput = flags.file ? loadLabFile(flags.file) : {};
    const input: TopologyInput = {
      ...fromFile,
      ...defined({
        kind: topology,
        name: flags.name,
        workers: flags.workers,
        controlPlanes: flags.controlPlanes,
        etcd: flags.etcd,
        image: flags.image,
        kubernetesVersion: flags.kubernetesVersion,
        ports: flags.port,
        retain: flags.retain,
        // A lab file's wait counts unless the flag is given.
        wait: flags.wait === undefined ? undefined : formatDuration(flags.wait),
        kubeconfig: flags.kubeconfig,
        // A room is what the lean profile is for (issue 11): its default there, unless asked otherwise.
        profile: flags.profile ?? (isRoom(flags) ? 'workshop' : undefined),
      }),
    };
    const json = flags.output === 'json';
    if (flags.hostCluster === undefined && (flags.hostContext !== undefined || flags.hostNamespace !== undefined))
      throw new UsageError(`${flags.hostContext !== undefined ? '--host-context' : '--host-namespace'} needs --host-cluster`, {
        hint: "pass the host cluster's kubeconfig to --host-cluster",
      });
    if (flags.hostCluster !== undefined) {
      const { runHostedUp } = await import('./up-hosted.js');
      return runHostedUp(input, {
        hostCluster: flags.hostCluster,
        hostContext: flags.hostContext,
        hostNamespace: flags.hostNamespace,
        count: flags.count,
        participants: flags.participants,
        prefix: flags.prefix,
        json,
      });
    }
    if (isRoom(flags)) {
      const { runRoomUp } = await import('./up-room.js');
      return runRoomUp(input, { ...flags, json });
    }
    const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

    const spec = buildTopologySpec(input);
    // Everything the run will write, checked before anything is created.
    checkKindlabHome();
    checkKubeconfigTarget(kubeconfigPathForMerge(spec.kubeconfig));
    // Loaded after the checks: the Kubernetes client takes seconds to load.
    const [{ createLab, undoLabUp }, { defaultLabDeps }, { getLabStatus }] = await Promise.all([
      import('../cluster/create-lab.js'),
      import('../cluster/lab-deps.js'),
      import('../cluster/lab-status.js'),
    ]);
    const interrupt = abortOnSignals((signal) => {
      if (!json) process.stderr.write(`\n${signal}: stopping and removing what was created (press Ctrl-C again to quit at once)\n`);
    });
    try {
      const deps = defaultLabDeps();
      const result = await createLab(deps, spec, {
        renderer: json ? 'silent' : 'default',
        signal: interrupt.signal,
        onEvent: json ? (event: StepEvent) => print(event) : undefined,
        skipClaim: process.env.KINDLAB_TEST_SKIP_CLAIM === '1',
      });
      // The lab is up; a failed status read afterwards must not report it as failed.
      const status = await getLabStatus(deps, spec.name).catch(() => undefined);
      if (interrupt.signal.aborted) {
        // Ctrl-C before the result was shown: undo the run as if it had come a moment earlier.
        if (!spec.retain) {
          const removed = await undoLabUp(deps, { spec, runId: result.runId, kubeconfigPath: result.kubeconfig, wroteContext: true });
          if (json)
            print({
              event: 'step',
              step: 'cleanup',
              title: `Remove what run ${result.runId} created`,
              status: 'succeeded',
              time: new Date().toISOString(),
              message: JSON.stringify(removed),
            });
        }
        throw new KindlabError(`lab up interrupted by ${String(interrupt.signal.reason)}`, { exitCode: exitCodeForSignal(interrupt.signal.reason) });
      }
      if (json) {
        print({ event: 'result', ok: true, result, status });
      } else {
        for (const note of result.notes) process.stdout.write(`note: ${note}\n`);
        process.stdout.write(
          `lab ${result.name} is up in ${(result.totalMs / 1000).toFixed(0)}s: ${result.topology}, etcd ${result.etcd}, image ${result.nodeImage}\n` +
            `  kubectl --context ${result.context} get nodes -o wide\n` +
            `  lab status ${result.name}    lab down ${result.name}\n`,
        );
      }
    } catch (error) {
      if (json) {
        print({ event: 'result', ok: false, error: (error as Error).message, exitCode: error instanceof KindlabError ? error.exitCode : 1 });
      }
      throw error;
    } finally {
      interrupt.dispose();
    }
  });
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Many labs at once (`--count`, `--participants`, `--prefix`), rather than one. */
function isRoom(flags: UpFlags): boolean {
  return flags.count !== undefined || flags.participants !== undefined || flags.prefix !== undefined;
}
