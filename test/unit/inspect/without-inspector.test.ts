import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePsOutput } from '../../../src/inspect/parse-ps-output.js';
import { programName } from '../../../src/inspect/identify-component.js';
import { withoutInspector } from '../../../src/inspect/read-node-processes.js';
import { splitCommandSections } from '../../../src/node/command-sections.js';

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

/** ps run as execEach runs it: under the in-node timeout and COMMAND_SECTIONS_SCRIPT's sh (see test/fixtures/README.md). */
describe('withoutInspector on ps run by execEach', () => {
  it('drops the timeout, the sh running the sections and the ps it runs; keeps the node', () => {
    const stdout = readFileSync(new URL('../../fixtures/docker/ps-under-sections-ha-worker.txt', import.meta.url), 'utf8');
    const stderr = readFileSync(new URL('../../fixtures/docker/ps-under-sections-ha-worker.stderr.txt', import.meta.url), 'utf8');
    const sections = splitCommandSections('kindlab-section-0', 2, { exitCode: 0, stdout: stdout.slice(stdout.indexOf('\n') + 1), stderr })!;
    expect(sections.map((s) => s.exitCode)).toEqual([0, 0]);
    expect(sections[1]!.stdout).toBe('hq-ha-worker\n');
    const processes = parsePsOutput(sections[0]!.stdout);
    const kept = withoutInspector(processes);
    expect(processes.filter((p) => !kept.includes(p)).map((p) => programName(p.args))).toEqual(['timeout', 'sh', 'ps']);
    expect(kept.map((p) => p.args)).toContain('/sbin/init');
    expect(kept.some((p) => p.args.includes('kindlab-section-0'))).toBe(false);
  });
});
