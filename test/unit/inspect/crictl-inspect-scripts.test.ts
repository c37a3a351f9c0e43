import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CRICTL_INSPECT_CONTAINERS_ARGV, CRICTL_INSPECT_SANDBOXES_ARGV } from '../../../src/inspect/read-node-processes.js';

/**
 * A crictl on PATH that logs its arguments and answers like crictl v1.34 does (`filters`: inspect
 * selects by --state) or like one that wants ids (`ids-only`: with none it prints its help and exits
 * 0, as v1.34 also does when no container matches). Inspect of ids prints one document per id.
 */
function fakeCrictl(mode: 'filters' | 'ids-only', ids: string[]): { dir: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kindlab-crictl-'));
  const log = join(dir, 'calls.log');
  const json = (id: string) => `{"status":{"id":"${id}"},"info":{"pid":${id.length}}}`;
  writeFileSync(
    join(dir, 'crictl'),
    [
      '#!/bin/sh',
      `echo "$*" >> ${log}`,
      'case "$*" in',
      `  *" -q --state "*) ${ids.length ? `printf '%s\\n' ${ids.join(' ')}` : 'true'} ;;`,
      `  *"-o json --state "*) ${mode === 'filters' && ids.length ? `echo '[${ids.map(json).join(',')}]'` : 'echo "NAME: crictl inspect"; echo "level=error msg=No IDs provided or nothing found per filter" >&2'} ;;`,
      `  *) shift 3; for id in "$@"; do echo "{\\"status\\":{\\"id\\":\\"$id\\"},\\"info\\":{\\"pid\\":\${#id}}}"; done ;;`,
      'esac',
    ].join('\n'),
  );
  chmodSync(join(dir, 'crictl'), 0o755);
  return { dir, log };
}

function run(argv: readonly string[], crictl: { dir: string; log: string }) {
  const result = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', env: { ...process.env, PATH: `${crictl.dir}:${process.env.PATH}` } });
  const calls = readFileSync(crictl.log, 'utf8').trim().split('\n');
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
}

describe('the crictl inspect scripts read in every node', () => {
  for (const [argv, inspect, list, state] of [
    [CRICTL_INSPECT_SANDBOXES_ARGV, 'inspectp', 'pods', 'ready'],
    [CRICTL_INSPECT_CONTAINERS_ARGV, 'inspect', 'ps', 'running'],
  ] as const) {
    it(`${inspect}: one crictl run when crictl selects by --state`, () => {
      const r = run(argv, fakeCrictl('filters', ['aaa', 'bbbb']));
      expect(r.calls).toEqual([`${inspect} -o json --state ${state}`]);
      expect(JSON.parse(r.stdout)).toEqual([
        { status: { id: 'aaa' }, info: { pid: 3 } },
        { status: { id: 'bbbb' }, info: { pid: 4 } },
      ]);
      expect([r.status, r.stderr]).toEqual([0, '']);
    });

    it(`${inspect}: lists the ids and hands them over when crictl wants ids (its help is not taken for output)`, () => {
      const r = run(argv, fakeCrictl('ids-only', ['aaa', 'bbbb']));
      expect(r.calls).toEqual([`${inspect} -o json --state ${state}`, `${list} -q --state ${state}`, `${inspect} -o json aaa bbbb`]);
      expect(r.stdout).toBe('{"status":{"id":"aaa"},"info":{"pid":3}}\n{"status":{"id":"bbbb"},"info":{"pid":4}}\n');
      expect(r.status).toBe(0);
    });

    it(`${inspect}: prints nothing and succeeds when nothing is ${state}`, () => {
      const r = run(argv, fakeCrictl('filters', []));
      expect(r.calls).toEqual([`${inspect} -o json --state ${state}`, `${list} -q --state ${state}`]);
      expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
    });
  }
});
