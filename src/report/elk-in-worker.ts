import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { DRAWING_LAYOUT_OPTIONS, type ElkGraphNode, type ElkLike } from '../serve/browser/lab-drawing-layout.js';

// ELK's first layout in a process costs about a third of a second of CPU: its classes initialise and
// its (GWT-compiled) code compiles on first use, whatever the graph. In a worker thread started when a
// report begins, that cost is paid on the second core while the nodes are read, and the real layout
// afterwards takes tens of milliseconds. CommonJS source for an eval worker: no file to bundle or find.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ELK = require(workerData.elkPath);
const elk = new ELK();
const warm = elk.layout(workerData.warmUp).catch(() => undefined);
parentPort.on('message', ({ id, graph }) => {
  warm
    .then(() => elk.layout(graph))
    .then(
      (placed) => parentPort.postMessage({ id, placed }),
      (error) => parentPort.postMessage({ id, error: String((error && error.message) || error) }),
    );
});
`;

/** A graph shaped like a lab's (three partitions, an edge across the middle one) with the drawing's options. */
const WARM_UP: ElkGraphNode = {
  id: 'warm-up',
  layoutOptions: DRAWING_LAYOUT_OPTIONS,
  children: ['a', 'b', 'c', 'd'].map((id, i) => ({
    id,
    width: 400,
    height: 300,
    layoutOptions: { 'elk.partitioning.partition': String(Math.min(i, 2)) },
  })),
  edges: [
    { id: '0', sources: ['a'], targets: ['c'] },
    { id: '1', sources: ['a'], targets: ['b'] },
    { id: '2', sources: ['b'], targets: ['d'] },
  ],
};

type Pending = { resolve: (placed: ElkGraphNode) => void; reject: (error: Error) => void };

let started: ElkLike | undefined;

/**
 * ELK in a worker thread, started (and warmed up) on the first call and shared afterwards. The worker
 * is unref'd while no layout is pending, so it never keeps a finished command alive.
 */
export function elkInWorker(): ElkLike {
  if (started) return started;
  const elkPath = createRequire(import.meta.url).resolve('elkjs/lib/elk.bundled.js');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { elkPath, warmUp: WARM_UP } });
  worker.unref();
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let broken: Error | undefined;
  const settle = (id: number) => {
    const entry = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) worker.unref();
    return entry;
  };
  worker.on('message', ({ id, placed, error }: { id: number; placed?: ElkGraphNode; error?: string }) => {
    const entry = settle(id);
    if (error !== undefined) entry?.reject(new Error(`failed to lay out the lab drawing: ${error}`));
    else entry?.resolve(placed!);
  });
  const fail = (cause: Error) => {
    broken = new Error('failed to lay out the lab drawing: its ELK worker stopped', { cause });
    for (const id of [...pending.keys()]) settle(id)?.reject(broken);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the worker exited with code ${code}`)));
  started = {
    layout(graph: ElkGraphNode): Promise<ElkGraphNode> {
      if (broken) return Promise.reject(broken);
      const id = nextId++;
      worker.ref();
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, graph });
      });
    },
  };
  return started;
}
