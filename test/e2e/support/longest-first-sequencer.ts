import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const seconds = JSON.parse(readFileSync(new URL('../file-seconds.json', import.meta.url), 'utf8')) as Record<string, number>;

/**
 * Vitest's own order puts files without a cached result (every file on a clean clone, as in CI) by
 * size, so the longest e2e files could start last and leave one lab running alone at the end. Within
 * a group (project), files go longest first by the seconds they took in CI (test/e2e/file-seconds.json);
 * vitest's order still decides groups and ties.
 */
export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const expected = (spec: TestSpecification): number => seconds[relative(process.cwd(), spec.moduleId)] ?? Number.POSITIVE_INFINITY;
    const group = (spec: TestSpecification): string => `${spec.project.config.sequence.groupOrder}:${spec.project.name}`;
    const position = new Map(sorted.map((spec, i) => [spec, i]));
    return sorted.sort((a, b) => {
      if (group(a) !== group(b)) return position.get(a)! - position.get(b)!;
      return expected(b) - expected(a) || position.get(a)! - position.get(b)!;
    });
  }
}
