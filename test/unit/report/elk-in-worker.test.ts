import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadAnnotations } from '../../../src/report/annotations.js';
import { elkInWorker } from '../../../src/report/elk-in-worker.js';
import { STATIC_DRAWING_ROOM } from '../../../src/report/render-lab-drawing-html.js';
import { buildLiveView } from '../../../src/serve/build-live-view.js';
import { layoutLabDrawing, type ElkLike } from '../../../src/serve/browser/lab-drawing-layout.js';
import { loadSnapshot, TOPOLOGIES } from '../../fixtures/load-fixtures.js';

const ELK = createRequire(import.meta.url)('elkjs/lib/elk.bundled.js') as new () => ElkLike;
const texts = loadAnnotations('en');

describe('ELK in a worker thread', () => {
  it.each(TOPOLOGIES)('lays out the recorded %s lab exactly as ELK in the main thread does', async (topology) => {
    const view = buildLiveView(loadSnapshot(topology), texts);
    const inWorker = await layoutLabDrawing(view, elkInWorker(), STATIC_DRAWING_ROOM);
    const inThread = await layoutLabDrawing(view, new ELK(), STATIC_DRAWING_ROOM);
    expect(inWorker).toEqual(inThread);
    expect(inWorker.nodes.length).toBe(view.nodes.length);
  });

  it('answers layouts asked at once each with its own graph', async () => {
    const graph = (id: string, width: number) => ({ id, children: [{ id: `${id}-box`, width, height: 10 }], edges: [] });
    const [a, b] = await Promise.all([elkInWorker().layout(graph('a', 100)), elkInWorker().layout(graph('b', 300))]);
    expect([a.id, a.children?.[0]?.width]).toEqual(['a', 100]);
    expect([b.id, b.children?.[0]?.width]).toEqual(['b', 300]);
  });

  it('rejects a graph ELK refuses with the reason, and lays out the next one', async () => {
    const bad = { id: 'bad', children: [{ id: 'x', width: 1, height: 1 }], edges: [{ id: 'e', sources: ['x'], targets: ['missing'] }] };
    await expect(elkInWorker().layout(bad)).rejects.toThrow(/^failed to lay out the lab drawing: .*missing/);
    const good = await elkInWorker().layout({ id: 'good', children: [{ id: 'y', width: 5, height: 5 }], edges: [] });
    expect(good.children?.[0]?.id).toBe('y');
  });
});
