import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createDebugLogger } from '../common/debug-logger.js';
import { makePrivateDirectory, replacePrivateFile } from '../common/write-private-file.js';
import type { ElkGraphNode, ElkLike } from '../serve/browser/lab-drawing-layout.js';

const debug = createDebugLogger('report');

interface CachedLayout {
  /** sha256 of ELK's version and the graph it was given, as JSON: the layout is a function of them alone (ELK's layered algorithm is deterministic). */
  graph: string;
  placed: ElkGraphNode;
}

/**
 * The last drawing layout of each cluster, one file per cluster under `$KINDLAB_HOME/report-layouts/`.
 * ELK costs a report about 0.4 s of CPU (its code compiles on first use in a process), a third of
 * `lab report --format html` on an ha lab; a lab whose nodes, pods and links did not change since its
 * last report gets the same graph, so the layout is reused and ELK is not started. Any change of the
 * graph (a pod more, another width) misses and lays out anew. Files are named by a hash of the cluster
 * name (an API-path cluster is named after its context, which may hold any character).
 */
export class ElkLayoutCache {
  constructor(private readonly dir: string) {}

  static inHome(home: string): ElkLayoutCache {
    return new ElkLayoutCache(join(home, 'report-layouts'));
  }

  /** Whether a layout of the cluster is kept: then ELK is not warmed up ahead of the report (it would take the CPU the node reads need). */
  has(cluster: string): boolean {
    return existsSync(this.file(cluster));
  }

  /** ELK for the cluster's drawing: the kept layout when the graph is the same, else `elk()`'s (which is then kept). */
  elkFor(cluster: string, elk: () => ElkLike): ElkLike {
    return {
      layout: async (graph: ElkGraphNode): Promise<ElkGraphNode> => {
        const hash = createHash('sha256')
          .update(`elkjs ${elkVersion()}\n${JSON.stringify(graph)}`)
          .digest('hex');
        const kept = this.load(cluster);
        if (kept?.graph === hash) return kept.placed;
        const placed = await elk().layout(graph);
        try {
          makePrivateDirectory(this.dir);
          replacePrivateFile(this.file(cluster), `${JSON.stringify({ graph: hash, placed } satisfies CachedLayout)}\n`);
        } catch (error) {
          // A read-only home costs the next report its shortcut, not its drawing.
          debug(`layout not kept in ${this.dir}:`, (error as Error).message);
        }
        return placed;
      },
    };
  }

  private file(cluster: string): string {
    return join(this.dir, `${createHash('sha256').update(cluster).digest('hex').slice(0, 32)}.json`);
  }

  private load(cluster: string): CachedLayout | undefined {
    try {
      const parsed = JSON.parse(readFileSync(this.file(cluster), 'utf8')) as Partial<CachedLayout>;
      return typeof parsed.graph === 'string' && typeof parsed.placed === 'object' && parsed.placed !== null ? (parsed as CachedLayout) : undefined;
    } catch {
      return undefined;
    }
  }
}

/** elkjs's version: another ELK may place the same graph differently. */
function elkVersion(): string {
  return (createRequire(import.meta.url)('elkjs/package.json') as { version: string }).version;
}
