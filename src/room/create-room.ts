import { Listr, type ListrTask } from 'listr2';
import { createLab, type CreateLabOptions, type StepEvent } from '../cluster/create-lab.js';
import type { LabDeps } from '../cluster/lab-deps.js';
import { writeLabKubeconfigFile } from '../cluster/lab-kubeconfig-file.js';
import { createDebugLogger } from '../common/debug-logger.js';
import { LAB_ROOM_LABEL } from '../common/labels.js';
import type { TopologySpec } from '../topology/topology-spec.js';

const debug = createDebugLogger('room');

export interface RoomLabResult {
  name: string;
  topology: TopologySpec['kind'];
  state: 'ready' | 'failed' | 'not started';
  /** From the start of this lab's creation to its end (or failure). */
  ms: number;
  /** The participant's own kubeconfig (0600), once the lab is ready. */
  kubeconfigFile?: string;
  /** The merged kubeconfig kind wrote the lab's context into. */
  context?: string;
  error?: string;
}

export interface CreateRoomOptions {
  /** The room (--prefix): recorded on every lab as dev.kindlab.room, what `lab down --prefix` finds. */
  room: string;
  parallel: number;
  signal: AbortSignal;
  renderer: CreateLabOptions['renderer'];
  onEvent?: (lab: string, event: StepEvent) => void;
}

/**
 * `lab up --count/--participants`: every lab through the one creation path (createLab), `parallel`
 * at a time, one progress line per lab. A lab that fails is cleaned up by its own run (createLab
 * removes what its run id created) and reported; the others go on. Labs not yet started when the run
 * is interrupted are not started.
 */
export async function createRoom(
  deps: LabDeps,
  specs: readonly TopologySpec[],
  options: CreateRoomOptions,
  create: typeof createLab = createLab,
): Promise<RoomLabResult[]> {
  const results = new Map<string, RoomLabResult>(specs.map((s) => [s.name, { name: s.name, topology: s.kind, state: 'not started', ms: 0 }]));
  const tasks: ListrTask[] = specs.map((spec) => ({
    title: `${spec.name}: waiting for a free slot`,
    task: async (_ctx, task) => {
      if (options.signal.aborted) return task.skip(`${spec.name}: not started (interrupted)`);
      const t0 = Date.now();
      const result = results.get(spec.name) as RoomLabResult;
      task.title = `${spec.name}: creating`;
      try {
        const created = await create(deps, spec, {
          renderer: 'silent',
          signal: options.signal,
          recordLabels: { [LAB_ROOM_LABEL]: options.room },
          onEvent: (event) => {
            options.onEvent?.(spec.name, event);
            if (event.event === 'step' && event.status === 'started') task.output = event.title;
          },
        });
        result.context = created.context;
        result.kubeconfigFile = await writeLabKubeconfigFile(await deps.kind(), spec.name);
        result.state = 'ready';
        result.ms = Date.now() - t0;
        task.title = `${spec.name}: ready in ${Math.round(result.ms / 1000)}s`;
      } catch (error) {
        debug('lab %s failed', spec.name, error);
        result.state = 'failed';
        result.ms = Date.now() - t0;
        result.error = (error as Error).message.split('\n')[0];
        task.title = `${spec.name}: failed after ${Math.round(result.ms / 1000)}s`;
        throw error;
      }
    },
  }));
  await new Listr(tasks, {
    concurrent: options.parallel,
    exitOnError: false,
    registerSignalListeners: false,
    renderer: 'default',
    rendererOptions: { collapseSubtasks: false },
    fallbackRenderer: 'simple',
    fallbackRendererCondition: () => options.renderer === 'simple' || !process.stdout.isTTY,
    silentRendererCondition: () => options.renderer === 'silent',
    collectErrors: false,
  }).run();
  return specs.map((s) => results.get(s.name) as RoomLabResult);
}
