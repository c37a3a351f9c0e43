import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePsOutput } from '../../../src/inspect/parse-ps-output.js';
import { withoutInspector } from '../../../src/inspect/read-node-processes.js';

/** ps run the way NodeExec runs it with a timeout, recorded on a worker of an ha lab (see test/fixtures/README.md). */
const text = readFileSync(new URL('../../fixtures/docker/ps-under-timeout-ha-worker.txt', import.meta.url), 'utf8');
const recorded = parsePsOutput(text.slice(text.indexOf('\n') + 1));

describe('withoutInspector', () => {
  it('drops our exec under coreutils timeout (the wrapper and the ps it runs), keeps the node', () => {
    const kept = withoutInspector(recorded);
    expect(recorded.filter((p) => !kept.includes(p)).map((p) => p.args)).toEqual([
      'timeout --kill-after=2 32 ps -ww -eo pid,ppid,args',
      'ps -ww -eo pid,ppid,args',
    ]);
    expect(kept.map((p) => p.args)).toContain('/sbin/init');
  });
});
