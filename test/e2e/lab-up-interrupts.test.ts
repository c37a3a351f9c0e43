import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerSkipReason, labResources, removeLabByLabel } from './support/lab-resources.js';
import { e2eLabName, homeEnv, runIdOf, runResources, watchLab, type WatchedRun } from './support/watch-lab.js';

/*
 * SIGINT at each step of `lab up`, for single, ha and single with external etcd (ha: up to kind's Joining, see AFTER_KIND). The step is
 * observed from `lab up --json` events: kindlab's own step events, and for kind's create the lines
 * kind prints as it enters its phases. After each interrupt: exit 130, and nothing of the lab remains
 * (containers, volumes, networks by kind's and kindlab's labels, and by the run id), and no context
 * in the kubeconfig. The shared `kind` network stays, as other labs use it.
 *
 * Cases run two at a time (each on its own lab name); KINDLAB_E2E_INTERRUPTS=single,ha,external
 * narrows the topologies for a local run.
 */
type Variant = 'single' | 'ha' | 'external';
type Event = Record<string, unknown>;

const stepStarted = (step: string) => (e: Event) => e.event === 'step' && e.step === step && e.status === 'started';
const kindPhase = (text: RegExp) => (e: Event) => e.event === 'output' && e.step === 'kind-create' && text.test(String(e.line));

/*
 * The steps after kind's create are interrupted on single and external etcd, not on ha: by then every
 * container of the lab exists, and what removes them (the run id's labels, kind's delete) is the same for
 * every topology; ha's own containers (the load balancer, the joined control planes) are already there,
 * and removed, when it is interrupted at kind's Joining. Each of those points had cost a whole ha lab
 * (CI, stop 23: 'ha' at kubeconfig 345 s, pods-running 263 s, nodes-ready 193 s, two cases at a time).
 */
const AFTER_KIND: Variant[] = ['single', 'external'];

/*
 * `holdLock`: from that event on, the test holds `<kubeconfig>.lock` as another writer would (a lab
 * of the same room, kubectl), until the interrupted step fails. The kubeconfig step is instant
 * otherwise, and a SIGINT sent on its start could land after `lab up` had exited.
 */
const POINTS: Array<{ at: string; when: (e: Event) => boolean; only?: Variant[]; holdLock?: (e: Event) => boolean }> = [
  { at: 'render', when: stepStarted('render') },
  { at: 'external-etcd', when: stepStarted('external-etcd'), only: ['external'] },
  { at: 'kind: Preparing nodes', when: kindPhase(/Preparing nodes/) },
  { at: 'kind: Writing configuration', when: kindPhase(/Writing configuration/) },
  { at: 'kind: Starting control-plane', when: kindPhase(/Starting control-plane/) },
  { at: 'kind: Joining', when: kindPhase(/Joining/), only: ['ha'] },
  { at: 'nodes-ready', when: stepStarted('nodes-ready'), only: AFTER_KIND },
  { at: 'pods-running', when: stepStarted('pods-running'), only: AFTER_KIND },
  { at: 'kubeconfig', when: stepStarted('kubeconfig'), holdLock: stepStarted('pods-running'), only: AFTER_KIND },
];

const ARGS: Record<Variant, string[]> = {
  single: ['single'],
  ha: ['ha'],
  external: ['single', '--etcd', 'external'],
};

const selected = (process.env.KINDLAB_E2E_INTERRUPTS ?? 'single,ha,external').split(',') as Variant[];
const cases = selected.flatMap((variant) =>
  POINTS.filter((p) => !p.only || p.only.includes(variant)).map((p, i) => ({ variant, ...p, name: e2eLabName(`int-${variant}-${i}`) })),
);

/** At most this many interrupted `lab up`s at once (2 cores); vitest starts up to 5 concurrent tests. */
const PARALLEL = Number(process.env.KINDLAB_E2E_INTERRUPT_PARALLEL ?? 2);
let running = 0;
const waiting: Array<() => void> = [];
async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Holds `path` from the first event matching `from` until a step fails (the interrupted one), so the cleanup can take it. */
function lockHolder(path: string, from: ((e: Event) => boolean) | undefined): { onEvent: (e: Event) => void; release: () => void } {
  let held = false;
  const release = () => {
    if (held) rmSync(path, { force: true });
    held = false;
  };
  return {
    release,
    onEvent: (e) => {
      if (!from) return;
      if (!held && from(e)) {
        closeSync(openSync(path, 'wx', 0o600));
        held = true;
      } else if (e.event === 'step' && e.status === 'failed') release();
    },
  };
}

/** Results by case, filled as the cases run, for the summary printed at the end. */
const outcomes: string[] = [];
const t0 = Date.now();

describe.skipIf(dockerSkipReason() !== undefined)('SIGINT at each step of lab up leaves nothing of the lab', () => {
  afterAll(() => {
    for (const c of cases) removeLabByLabel(c.name);
    process.stderr.write(`interrupt matrix (${cases.length} cases, ${((Date.now() - t0) / 1000).toFixed(0)}s wall):\n${outcomes.join('\n')}\n`);
  });

  it.concurrent.each(cases)(
    '$variant at $at',
    async ({ variant, at, when, holdLock, name }) => {
      removeLabByLabel(name);
      const kubeconfig = join(mkdtempSync(join(tmpdir(), `kindlab-e2e-${name}-`)), 'kubeconfig');
      const home = mkdtempSync(join(tmpdir(), 'kindlab-e2e-home-'));
      const lock = lockHolder(`${kubeconfig}.lock`, holdLock);
      const run: WatchedRun = await slot(() =>
        watchLab(['up', ...ARGS[variant], '--name', name, '--kubeconfig', kubeconfig, '--json'], {
          env: homeEnv(home),
          interruptWhen: when,
          onEvent: lock.onEvent,
        }),
      ).finally(lock.release);
      const interrupted = run.events.find((e) => e.event === 'step' && e.status === 'failed');
      // The cleanup's last event: succeeded or failed (after `started`).
      const cleanup = run.events.filter((e) => e.event === 'step' && e.step === 'cleanup').at(-1);
      const runId = runIdOf(run.events);
      const leftovers = { run: runId ? runResources(runId) : undefined, lab: labResources(name) };
      const leftoverCount = [leftovers.run, leftovers.lab].flatMap((r) => (r ? [...r.containers, ...r.volumes, ...r.networks] : [])).length;
      outcomes.push(
        `  ${variant} at ${at}: exit ${run.exitCode}, interrupted in ${String(interrupted?.step ?? 'after the last step')}, cleanup ${String(cleanup?.status)}, ${leftoverCount} leftover(s), ${run.seconds.toFixed(0)}s`,
      );
      const context = `${run.stderr.trim().split('\n').slice(-3).join(' | ')}`;
      expect(run.trigger, `the run never reached ${at}: ${context}`).toBeDefined();
      expect(run.exitCode, context).toBe(130);
      expect(run.events.at(-1)).toMatchObject({ event: 'result', ok: false, exitCode: 130 });
      expect(cleanup, context).toMatchObject({ status: 'succeeded' });
      expect(runId).toBeDefined();
      expect(leftovers.run).toEqual({ containers: [], volumes: [], networks: [] });
      expect(leftovers.lab).toEqual({ containers: [], volumes: [], networks: [] });
      expect(existsSync(kubeconfig) ? readFileSync(kubeconfig, 'utf8') : '').not.toContain(`kind-${name}`);
    },
    90 * 60_000,
  );
});
