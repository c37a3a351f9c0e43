import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertRootOwnedDir } from '../../../src/host/assert-root-owned-dir.js';
import { writeDaemonJson } from '../../../src/host/daemon-json-file.js';
import { NodeHostFilesystem } from '../../../src/host/node-host-filesystem.js';

const fs = new NodeHostFilesystem();

describe('NodeHostFilesystem and daemon.json writes on a real filesystem', () => {
  it('backs daemon.json up (0600) and replaces it by rename, keeping its mode; a new file gets no backup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindlab-daemon-json-'));
    const path = join(dir, 'daemon.json');
    writeFileSync(path, '{"debug":true}');
    chmodSync(path, 0o640);
    const inodeBefore = statSync(path).ino;
    const backup = await writeDaemonJson(fs, path, '{"debug":false}\n', new Date('2026-11-30T05:10:00.5Z'));
    expect(backup).toBe(`${path}.kindlab-backup-2026-11-30T051000Z`);
    expect(readFileSync(backup!, 'utf8')).toBe('{"debug":true}');
    expect(statSync(backup!).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe('{"debug":false}\n');
    expect(statSync(path).mode & 0o777).toBe(0o640);
    // A new inode: written beside and renamed, never truncated in place.
    expect(statSync(path).ino).not.toBe(inodeBefore);
    expect(readdirSync(dir).sort()).toEqual(['daemon.json', 'daemon.json.kindlab-backup-2026-11-30T051000Z']);
    // A second write within the same second keeps the first backup.
    expect(await writeDaemonJson(fs, path, '{}\n', new Date('2026-11-30T05:10:00.9Z'))).toBe(`${backup}-1`);
    expect(readFileSync(backup!, 'utf8')).toBe('{"debug":true}');

    const fresh = join(dir, 'new', 'daemon.json');
    mkdirSync(join(dir, 'new'));
    expect(await writeDaemonJson(fs, fresh, '{}\n', new Date())).toBeUndefined();
    expect(statSync(fresh).mode & 0o777).toBe(0o644);
  });

  it('refuses a directory others can write, naming the path at fault', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindlab-build-'));
    const inner = join(dir, 'bin');
    mkdirSync(inner);
    chmodSync(dir, 0o777);
    await expect(assertRootOwnedDir(fs, inner, 'the build directory')).rejects.toThrow(
      new RegExp(`^refusing to use ${inner} as the build directory: ${dir} is (writable by group or others \\(mode 0777\\)|owned by uid \\d+, not root)$`),
    );
  });
});
