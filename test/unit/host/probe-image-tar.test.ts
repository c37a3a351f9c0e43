import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProbeImageTar, buildTar } from '../../../src/host/probe-image-tar.js';

describe('buildProbeImageTar', () => {
  const payload = Buffer.from('#!fake busybox\n'.repeat(100));

  it('writes an archive GNU tar lists and extracts byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindlab-tar-'));
    const archive = join(dir, 'probe.tar');
    writeFileSync(archive, buildProbeImageTar(payload));
    const listing = execFileSync('tar', ['-tvf', archive], { encoding: 'utf8' });
    expect(listing).toMatch(/^drwxr-xr-x root\/root\s+0 .* bin\/$/m);
    expect(listing).toMatch(new RegExp(`^-rwxr-xr-x root/root\\s+${payload.length} .* bin/busybox$`, 'm'));
    execFileSync('tar', ['-xf', archive, '-C', dir]);
    expect(readFileSync(join(dir, 'bin', 'busybox')).equals(payload)).toBe(true);
  });

  it('pads to 512-byte blocks and is reproducible', () => {
    const a = buildProbeImageTar(payload);
    expect(a.length % 512).toBe(0);
    expect(a.equals(buildProbeImageTar(payload))).toBe(true);
  });

  it('refuses names ustar cannot hold', () => {
    expect(() => buildTar([{ path: 'x'.repeat(101), mode: 0o644, bytes: Buffer.alloc(1) }])).toThrow(/longer than 100/);
  });
});
