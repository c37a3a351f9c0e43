import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAnnotations } from '../../../src/report/annotations.js';
import { elkInWorker } from '../../../src/report/elk-in-worker.js';
import { ElkLayoutCache } from '../../../src/report/elk-layout-cache.js';
import { STATIC_DRAWING_ROOM } from '../../../src/report/render-lab-drawing-html.js';
import { buildLiveView } from '../../../src/serve/build-live-view.js';
import { layoutLabDrawing, type ElkGraphNode, type ElkLike } from '../../../src/serve/browser/lab-drawing-layout.js';
import { loadSnapshot } from '../../fixtures/load-fixtures.js';

const texts = loadAnnotations('en');

/** The real ELK (in its worker), counting the layouts it was asked for. */
function countingElk(): { elk: () => ElkLike; layouts: () => number } {
  let layouts = 0;
  return {
    elk: () => ({
      layout: (graph: ElkGraphNode) => {
        layouts++;
        return elkInWorker().layout(graph);
      },
    }),
    layouts: () => layouts,
  };
}

const home = () => mkdtempSync(join(tmpdir(), 'kindlab-layouts-'));

describe('ElkLayoutCache: the drawing of an unchanged lab is laid out once', () => {
  it('gives the drawing a fresh ELK layout gives, from the second report on without ELK; files owner-only', async () => {
    const dir = home();
    const view = buildLiveView(loadSnapshot('ha'), texts);
    const cache = ElkLayoutCache.inHome(dir);
    const counting = countingElk();
    expect(cache.has('insp-ha')).toBe(false);

    const fresh = await layoutLabDrawing(view, elkInWorker(), STATIC_DRAWING_ROOM);
    const first = await layoutLabDrawing(view, cache.elkFor('insp-ha', counting.elk), STATIC_DRAWING_ROOM);
    const second = await layoutLabDrawing(view, ElkLayoutCache.inHome(dir).elkFor('insp-ha', counting.elk), STATIC_DRAWING_ROOM);
    expect(first).toEqual(fresh);
    expect(second).toEqual(fresh);
    expect(counting.layouts()).toBe(1);
    expect(cache.has('insp-ha')).toBe(true);

    const layoutsDir = join(dir, 'report-layouts');
    expect(statSync(layoutsDir).mode & 0o777).toBe(0o700);
    const files = readdirSync(layoutsDir);
    expect(files).toHaveLength(1);
    expect(statSync(join(layoutsDir, files[0]!)).mode & 0o777).toBe(0o600);
  });

  it('lays out anew when the graph changed (another lab shape, another width) and keeps the newest', async () => {
    const dir = home();
    const counting = countingElk();
    const ha = buildLiveView(loadSnapshot('ha'), texts);
    const multi = buildLiveView(loadSnapshot('multi'), texts);
    const layout = (view: typeof ha, room: number) => layoutLabDrawing(view, ElkLayoutCache.inHome(dir).elkFor('lab', counting.elk), room);
    await layout(ha, STATIC_DRAWING_ROOM);
    const asMulti = await layout(multi, STATIC_DRAWING_ROOM);
    expect(asMulti).toEqual(await layoutLabDrawing(multi, elkInWorker(), STATIC_DRAWING_ROOM));
    await layout(multi, 900);
    await layout(multi, 900);
    expect(counting.layouts()).toBe(3);
  });

  it('takes an unreadable kept layout for none', async () => {
    const dir = home();
    const counting = countingElk();
    const view = buildLiveView(loadSnapshot('single'), texts);
    await layoutLabDrawing(view, ElkLayoutCache.inHome(dir).elkFor('lab', counting.elk), STATIC_DRAWING_ROOM);
    const [file] = readdirSync(join(dir, 'report-layouts'));
    writeFileSync(join(dir, 'report-layouts', file!), '{"graph": 1');
    const again = await layoutLabDrawing(view, ElkLayoutCache.inHome(dir).elkFor('lab', counting.elk), STATIC_DRAWING_ROOM);
    expect(again).toEqual(await layoutLabDrawing(view, elkInWorker(), STATIC_DRAWING_ROOM));
    expect(counting.layouts()).toBe(2);
  });
});
