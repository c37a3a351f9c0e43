import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadTourLab } from '../../../src/labs/load-tour-lab.js';
import { HttpsKubeApi } from '../../../src/kube/https-kube-api.js';
import { listTourObjects as listTourObjectsIn } from '../../../src/labs/cleanup-tour-objects.js';
import { runLab, spawnLab } from '../support/run-lab.js';
import { doneIf } from '../../../src/common/wait-until.js';
import { waitWhileRunning } from '../support/wait-while-running.js';
import type { LiveLab } from '../support/live-lab.js';

/** An API client of our own, from the kubeconfig `lab up` wrote: the check does not trust the tour's view. */
function kubeOf(lab: LiveLab): HttpsKubeApi {
  const text = readFileSync(lab.kubeconfigPath, 'utf8');
  return new HttpsKubeApi(lab.context ? dump({ ...(load(text) as object), 'current-context': lab.context }) : text);
}

const listTourObjects = (kube: HttpsKubeApi, namespace: string, lab: string) => listTourObjectsIn({ kube, namespace, lab });

/** The handout and interrupt checks cost two more tours; CI runs them on one topology only. */
export interface TourCheckOptions {
  handout?: boolean;
  interrupt?: boolean;
}

export function registerTourChecks(getLab: () => LiveLab, options: TourCheckOptions = {}): void {
  describe('lab tour', () => {
    const lab = loadTourLab('architecture');
    const handoutDir = mkdtempSync(join(tmpdir(), 'kindlab-tour-'));

    it('lab tour --auto passes every check of the architecture lab and leaves no object behind', async () => {
      const live = getLab();
      const run = await runLab(['tour', live.name, '--lab', 'architecture', '--auto']);
      const failed = run.stdout.split('\n').filter((l) => l.startsWith('[FAIL]'));
      expect(failed, `${run.stderr}\n${run.stdout.slice(-3000)}`).toEqual([]);
      expect(run.exitCode, run.stderr).toBe(0);
      for (const [i, chapter] of lab.chapters.entries()) {
        expect(run.stdout).toContain(`=== Chapter ${i + 1}/${lab.chapters.length}: ${chapter.title}`);
      }
      const total = lab.chapters.flatMap((c) => c.steps).reduce((n, s) => n + s.checks.length, 0);
      expect(run.stdout).toContain(`Tour finished: ${total}/${total} checks passed.`);
      expect(await listTourObjects(kubeOf(live), 'default', live.name)).toEqual([]);
    });

    if (options.handout === true)
      it('--format md writes a handout with the real node names, every chapter and no open HTML', async () => {
        const live = getLab();
        const out = join(handoutDir, `${live.name}.md`);
        const run = await runLab(['tour', live.name, '--auto', '--format', 'md', '--out', out]);
        expect(run.exitCode, run.stderr).toBe(0);
        const handout = readFileSync(out, 'utf8');
        expect(statSync(out).mode & 0o777).toBe(0o600);
        for (const node of [...live.controlPlaneContainers, ...live.workerContainers]) expect(handout).toContain(node);
        for (const chapter of lab.chapters) expect(handout).toContain(`. ${chapter.title}`);
        // Outputs such as ROLES <none> sit in code blocks or are escaped: no raw tag outside a fence.
        const outsideFences = handout
          .split(/^`{3,}.*$/m)
          .filter((_, i) => i % 2 === 0)
          .join('\n');
        expect(outsideFences).not.toMatch(/<none>|<script/);
        expect(handout).toMatch(/^- \[x\] `topologyPlaced`/m);
        expect(await listTourObjects(kubeOf(live), 'default', live.name)).toEqual([]);
      });

    if (options.interrupt === true)
      it('an interrupted tour (SIGINT) removes what it created and exits 130', async () => {
        const live = getLab();
        const kube = kubeOf(live);
        const tour = spawnLab(['tour', live.name, '--auto']);
        // SIGINT once the tour has created an object, so there is something to remove.
        await waitWhileRunning(
          tour,
          async () => {
            const objects = await listTourObjects(kube, 'default', live.name);
            return doneIf(objects.length > 0, `${objects.length} tour object(s)`);
          },
          { what: 'the tour to create an object', timeoutMs: 10 * 60_000, intervalMs: 500 },
        );
        tour.kill('SIGINT');
        const result = await tour;
        expect(result.exitCode, String(result.stderr)).toBe(130);
        expect(String(result.stderr)).toMatch(/removed \d+ object\(s\) labelled for this tour/);
        expect(await listTourObjects(kube, 'default', live.name)).toEqual([]);
      });
  });
}
