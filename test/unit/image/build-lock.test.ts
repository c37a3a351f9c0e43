import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProcessTable } from '../../../src/common/run-owner.js';
import { acquireBuildLock } from '../../../src/image/build-lock.js';

/** pid 100 is this build, pid 200 another live one; pid 300 has exited. */
const processes: ProcessTable = { host: 'box', pid: 100, boot: 'boot-1', startTicks: (pid) => ({ 100: '5000', 200: '7000' })[pid] };

async function lockPath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'kindlab-lock-')), 'image-build', 'build.lock');
}

describe('acquireBuildLock', () => {
  it('creates the lock 0600 with run id and owner, and release removes only its own lock', async () => {
    const path = await lockPath();
    const lock = acquireBuildLock(path, 'run1', processes);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ runId: 'run1', owner: 'box boot-1 100 5000' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    lock.release();
    expect(existsSync(path)).toBe(false);
    // A lock another build holds now is not ours to remove.
    writeFileSync(path, '{"runId":"other"}\n');
    lock.release();
    expect(existsSync(path)).toBe(true);
  });

  it.each([
    [
      'a live build on this host',
      '{"runId":"live","owner":"box boot-1 200 7000","startedAt":"2026-01-01T00:00:00Z"}\n',
      /build live \(pid 200\), started 2026-01-01T00:00:00Z/,
    ],
    ['a build on another host', '{"runId":"far","owner":"other boot-9 300 6000","startedAt":"2026-01-01T00:00:00Z"}\n', /build far \(pid 300\)/],
    ['a lock still being written', '{"runId":"half', /another build/],
  ])('respects %s', async (_what, content, message) => {
    const path = await lockPath();
    acquireBuildLock(path, 'first', processes).release();
    writeFileSync(path, content);
    expect(() => acquireBuildLock(path, 'run1', processes)).toThrow(message);
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  it('takes over the lock of a build whose process is gone, also after a reboot', async () => {
    for (const owner of ['box boot-1 300 6000', 'box boot-0 100 5000']) {
      const path = await lockPath();
      acquireBuildLock(path, 'first', processes).release();
      writeFileSync(path, `${JSON.stringify({ runId: 'dead', owner, startedAt: '2026-01-01T00:00:00Z' })}\n`);
      const lock = acquireBuildLock(path, 'run1', processes);
      expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ runId: 'run1' });
      lock.release();
    }
  });
});
