import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { createDebugLogger } from '../common/debug-logger.js';
import { LAB_COMPONENT_LABEL } from '../common/labels.js';
import { AGENT_COMPONENT } from '../node/agent-pod-manifest.js';
import type { Snapshot } from '../inspect/snapshot.js';
import type { KubeApi, WatchChange, WatchedCollection } from '../kube/kube-api.js';
import type { Annotations } from '../report/annotations.js';
import { buildLiveView } from './build-live-view.js';
import type { ControllerEvent, LiveView, TourFocus } from './live-view.js';

const debug = createDebugLogger('serve');

/** The events of the controller loop, in the order the workshop tells it: Deployment -> ReplicaSet -> Pod -> Scheduled -> Started. */
const CONTROLLER_KINDS = new Set(['Deployment', 'ReplicaSet', 'Pod']);
const CONTROLLER_REASONS = new Set(['ScalingReplicaSet', 'SuccessfulCreate', 'SuccessfulDelete', 'Scheduled', 'Pulled', 'Created', 'Started', 'Killing']);
const KEPT_EVENTS = 200;

export type FeedMessage = { type: 'view'; view: LiveView } | { type: 'controller'; event: ControllerEvent } | { type: 'tour'; focus: TourFocus };

export interface LabLiveFeedOptions {
  /** Connects to the lab's API (once, when the feed starts). */
  connect: () => Promise<KubeApi>;
  /** One snapshot the way `lab inspect` takes it (the same node reads), through the feed's API connection. */
  inspect: (kube: KubeApi) => Promise<Snapshot>;
  texts: Annotations;
  /** Process trees are re-read on every pod change and at least this often (containers restart without a pod change). */
  intervalMs: number;
  /** Pause before a watch the server closed is opened again. */
  rewatchMs?: number;
}

/**
 * One lab, live: pods and events from the watch API, process trees re-read with `lab inspect`'s node
 * reads when a pod changes (coalesced: one read at a time, one more if something changed meanwhile).
 */
export class LabLiveFeed {
  view: LiveView | undefined;
  readonly events: ControllerEvent[] = [];
  private readonly pods = new Map<string, V1Pod>();
  private readonly listeners = new Set<(message: FeedMessage) => void>();
  private readonly watches: Array<{ stop(): void }> = [];
  private reading: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private started: Promise<void> | undefined;
  private kube: KubeApi | undefined;

  constructor(private readonly options: LabLiveFeedOptions) {}

  /** Takes the first snapshot and opens the watches; later calls wait for the same start. */
  start(): Promise<void> {
    this.started ??= (async () => {
      this.kube = await this.options.connect();
      await Promise.all([this.refresh(), this.watch('pods'), this.watch('events')]);
      this.timer = setInterval(() => void this.refresh(), this.options.intervalMs);
      this.timer.unref();
    })();
    return this.started;
  }

  subscribe(listener: (message: FeedMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The pod as the last watch event had it. */
  /** What a running tour talks about now (`lab tour --serve`); a page opened later gets it too. */
  focus: TourFocus | undefined;

  tour(focus: TourFocus): void {
    this.focus = focus;
    this.publish({ type: 'tour', focus });
  }

  pod(namespace: string, name: string): V1Pod | undefined {
    return [...this.pods.values()].find((p) => p.metadata?.namespace === namespace && p.metadata?.name === name);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    for (const w of this.watches.splice(0)) w.stop();
    this.listeners.clear();
  }

  /** Re-reads the process trees; resolves when a read that started after this call is done. */
  refresh(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        await this.readOnce();
      } while (this.again && !this.stopped);
      this.reading = undefined;
    })();
    return this.reading;
  }

  private async readOnce(): Promise<void> {
    const started = Date.now();
    try {
      const snapshot = await this.options.inspect(this.kube!);
      if (this.stopped) return;
      this.view = buildLiveView(snapshot, this.options.texts);
      debug(`read ${snapshot.cluster} in ${Date.now() - started} ms`);
      this.publish({ type: 'view', view: this.view });
    } catch (error) {
      // The last picture stays; the page shows why it is not moving.
      debug(`failed to read the lab: ${(error as Error).message}`);
      if (this.view) {
        this.view = { ...this.view, warnings: [`failed to read the lab: ${(error as Error).message}`] };
        this.publish({ type: 'view', view: this.view });
      }
    }
  }

  private async watch(collection: WatchedCollection): Promise<void> {
    const reopen = (error?: unknown) => {
      debug(`watch of ${collection} ended${error ? `: ${(error as Error).message}` : ''}`);
      if (this.stopped) return;
      setTimeout(() => void this.watch(collection).catch((e: unknown) => reopen(e)), this.options.rewatchMs ?? 1000).unref();
    };
    const handle = await this.kube!.watch(collection, (change) => this.onChange(change), reopen);
    if (this.stopped) handle.stop();
    else this.watches.push(handle);
  }

  private onChange(change: WatchChange): void {
    if (change.collection === 'pods') {
      const uid = change.object.metadata?.uid ?? '';
      if (change.type === 'DELETED') this.pods.delete(uid);
      else this.pods.set(uid, change.object);
      void this.refresh();
      return;
    }
    const event = controllerEvent(change.object);
    if (!event || change.type === 'DELETED' || this.isAgentEvent(change.object)) return;
    this.events.push(event);
    if (this.events.length > KEPT_EVENTS) this.events.shift();
    this.publish({ type: 'controller', event });
  }

  /** The page leaves kindlab's node agents out (a hosted lab is read through them): their pods' events too. */
  private isAgentEvent(event: CoreV1Event): boolean {
    const { kind, namespace, name } = event.involvedObject ?? {};
    return kind === 'Pod' && this.pod(namespace ?? '', name ?? '')?.metadata?.labels?.[LAB_COMPONENT_LABEL] === AGENT_COMPONENT;
  }

  private publish(message: FeedMessage): void {
    for (const listener of this.listeners) listener(message);
  }
}

export function controllerEvent(event: CoreV1Event): ControllerEvent | undefined {
  const kind = event.involvedObject?.kind ?? '';
  const reason = event.reason ?? '';
  if (!CONTROLLER_KINDS.has(kind) || !CONTROLLER_REASONS.has(reason)) return undefined;
  const time = event.lastTimestamp ?? event.eventTime ?? event.metadata?.creationTimestamp;
  return {
    time: time ? new Date(time).toISOString() : '',
    kind,
    object: `${event.involvedObject.namespace ?? ''}/${event.involvedObject.name ?? ''}`,
    reason,
    message: event.message ?? '',
  };
}
