import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { loadAnnotations } from '../../../src/report/annotations.js';
import { controllerEvent, LabLiveFeed, type FeedMessage } from '../../../src/serve/lab-live-feed.js';
import { FIXTURES_DIR, loadSnapshot } from '../../fixtures/load-fixtures.js';
import { FakeKubeApi } from '../support/fake-kube-api.js';

/** Events of `kubectl create deployment serve-e2e --replicas 3` and its deletion, recorded (see test/fixtures/kube-api/README.md). */
const recorded = (JSON.parse(readFileSync(join(FIXTURES_DIR, 'kube-api', 'serve-default-events.json'), 'utf8')) as { items: CoreV1Event[] }).items;

function feedWith(kube: FakeKubeApi) {
  const snapshot = loadSnapshot('single');
  let reads = 0;
  const feed = new LabLiveFeed({
    connect: async () => kube,
    inspect: async () => {
      reads++;
      return snapshot;
    },
    texts: loadAnnotations('en'),
    intervalMs: 60_000,
  });
  const messages: FeedMessage[] = [];
  feed.subscribe((m) => messages.push(m));
  return { feed, messages, reads: () => reads };
}

describe('the live feed of a lab', () => {
  it('takes a snapshot and opens a watch of pods and of events when it starts, once however often it is asked', async () => {
    const kube = new FakeKubeApi();
    const { feed, messages, reads } = feedWith(kube);
    await Promise.all([feed.start(), feed.start()]);
    expect(kube.calls.filter((c) => c.startsWith('watch'))).toEqual(['watch pods', 'watch events']);
    expect(reads()).toBe(1);
    expect(messages.map((m) => m.type)).toEqual(['view']);
    feed.stop();
    expect(kube.watchers.every((w) => w.stopped)).toBe(true);
  });

  it('reads the process trees again on a pod change, coalescing changes that arrive during a read', async () => {
    const kube = new FakeKubeApi();
    const { feed, reads } = feedWith(kube);
    await feed.start();
    const pod: V1Pod = { metadata: { namespace: 'default', name: 'web', uid: 'u1' } };
    for (const type of ['ADDED', 'MODIFIED', 'MODIFIED'] as const) kube.emit({ type, collection: 'pods', object: pod });
    await feed.refresh();
    // One read for the first change, one more for the two that came while it ran (and this refresh).
    expect(reads()).toBe(3);
    expect(feed.pod('default', 'web')).toBe(pod);
    kube.emit({ type: 'DELETED', collection: 'pods', object: pod });
    expect(feed.pod('default', 'web')).toBeUndefined();
    feed.stop();
  });

  it('streams the controller loop of a Deployment: ScalingReplicaSet, SuccessfulCreate, Scheduled, Started; nothing else', async () => {
    const kube = new FakeKubeApi();
    const { feed, messages } = feedWith(kube);
    await feed.start();
    for (const object of recorded) kube.emit({ type: 'ADDED', collection: 'events', object });
    const reasons = messages.flatMap((m) => (m.type === 'controller' ? [`${m.event.kind} ${m.event.reason}`] : []));
    for (const expected of ['Deployment ScalingReplicaSet', 'ReplicaSet SuccessfulCreate', 'Pod Scheduled', 'Pod Started']) expect(reasons).toContain(expected);
    expect(reasons.length).toBe(recorded.filter((e) => controllerEvent(e)).length);
    expect(feed.events.length).toBe(reasons.length);
    feed.stop();
  });

  it("leaves out the events of kindlab's node agents (a hosted lab's page reads it through them)", async () => {
    const agent = JSON.parse(readFileSync(join(FIXTURES_DIR, 'kube-api', 'agent-pod-events.json'), 'utf8')) as { pod: V1Pod; events: CoreV1Event[] };
    const kube = new FakeKubeApi();
    const { feed, messages } = feedWith(kube);
    await feed.start();
    // Without the pod the feed cannot tell: the events pass as any pod's would.
    kube.emit({ type: 'ADDED', collection: 'events', object: agent.events[0]! });
    expect(messages.filter((m) => m.type === 'controller')).toHaveLength(1);
    kube.emit({ type: 'ADDED', collection: 'pods', object: agent.pod });
    for (const object of agent.events) kube.emit({ type: 'ADDED', collection: 'events', object });
    expect(agent.events.map((e) => e.reason)).toEqual(['Pulled', 'Created', 'Started', 'Killing']);
    expect(messages.filter((m) => m.type === 'controller')).toHaveLength(1);
    feed.stop();
  });

  it('leaves out events of other objects and other reasons', () => {
    const event = recorded.find((e) => e.reason === 'Scheduled')!;
    expect(controllerEvent(event)).toMatchObject({ kind: 'Pod', reason: 'Scheduled' });
    expect(controllerEvent({ ...event, reason: 'BackOff' })).toBeUndefined();
    expect(controllerEvent({ ...event, involvedObject: { ...event.involvedObject, kind: 'Node' } })).toBeUndefined();
  });
});
