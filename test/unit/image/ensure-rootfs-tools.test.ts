import { describe, expect, it } from 'vitest';
import { ensureRootfsTools } from '../../../src/image/ensure-rootfs-tools.js';
import { FakeRunner } from '../support/fake-runner.js';

describe('ensureRootfsTools', () => {
  it('uses the tools that are installed', async () => {
    const runner = new FakeRunner(() => ({ stdout: 'debootstrap 1.0.128+nmu2+deb12u2\n' }));
    expect(await ensureRootfsTools(runner)).toEqual([]);
    expect(runner.lines()).toEqual(['debootstrap --version', 'jq --version']);
  });

  it('installs only the missing ones from Debian packages', async () => {
    const runner = new FakeRunner((call) => (call.command === 'debootstrap' ? 'enoent' : undefined));
    expect(await ensureRootfsTools(runner)).toEqual(['debootstrap']);
    expect(runner.lines()).toEqual(['debootstrap --version', 'jq --version', 'apt-get update', 'apt-get install -y --no-install-recommends debootstrap']);
    expect(runner.calls[3]?.options.env).toEqual({ DEBIAN_FRONTEND: 'noninteractive' });
  });

  it('does not hide a tool that exists but fails', async () => {
    const runner = new FakeRunner(() => ({ exitCode: 1, stderr: 'broken' }));
    await expect(ensureRootfsTools(runner)).rejects.toThrow(/failed to run debootstrap/);
    expect(runner.lines()).toEqual(['debootstrap --version']);
  });
});
