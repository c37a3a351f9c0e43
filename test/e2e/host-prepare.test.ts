import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_COMPONENT_LABEL } from '../../src/common/labels.js';
import type { HostPrepareResult } from '../../src/host/host-prepare-result.js';
import { PROBE_COMPONENT } from '../../src/host/probe-image.js';
import { jsonLines, runLab } from './support/run-lab.js';

const run = promisify(execFile);
const probeLabel = `${LAB_COMPONENT_LABEL}=${PROBE_COMPONENT}`;

// `lab host prepare` installs Docker itself, so only a non-root run without Docker cannot work.
const cannotPrepare = process.getuid?.() !== 0 && !existsSync('/var/run/docker.sock');
const skip = cannotPrepare && process.env.CI !== 'true';

async function prepare(): Promise<HostPrepareResult> {
  const result = await runLab(['host', 'prepare', '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  const [json] = jsonLines(result.stdout);
  return json as unknown as HostPrepareResult;
}

async function removeProbeContainers(): Promise<void> {
  const { stdout } = await run('docker', ['ps', '-aq', '--filter', `label=${probeLabel}`]);
  const ids = stdout.split('\n').filter(Boolean);
  if (ids.length) await run('docker', ['rm', '-f', ...ids]);
}

describe.skipIf(skip)('lab host prepare (needs root or a reachable Docker)', () => {
  let first: HostPrepareResult;
  let second: HostPrepareResult;

  beforeAll(async () => {
    first = await prepare();
    second = await prepare();
    await removeProbeContainers();
  });

  afterAll(async () => {
    if (!skip) await removeProbeContainers();
  });

  it('leaves Docker, kind and the host ready', () => {
    expect(first.privileged.ok).toBe(true);
    expect(first.kind.version).toMatch(/^v0\.30\.\d+$/);
    expect(existsSync(first.kind.path)).toBe(true);
    expect(existsSync(first.libModules.path)).toBe(true);
    expect(first.inotify.current.maxUserWatches).toBeGreaterThanOrEqual(first.inotify.needed.maxUserWatches);
    expect(first.inotify.current.maxUserInstances).toBeGreaterThanOrEqual(first.inotify.needed.maxUserInstances);
  });

  it('changes nothing the second time', () => {
    expect(second.changed).toBe(false);
    expect(second.changes).toEqual([]);
    expect(second.privileged.wrapper?.action ?? 'none').not.toMatch(/installed|updated/);
  });

  it('says so in its plain output', async () => {
    const { exitCode, stdout } = await runLab(['host', 'prepare']);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Host already prepared: nothing changed.');
  });

  it('rejects a bad node count with a usage error before touching the host', async () => {
    const { exitCode, stderr } = await runLab(['host', 'prepare', '--nodes', '0']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('expected a positive whole number of nodes');
  });

  it('makes docker run --privileged and docker exec --privileged work', async () => {
    const image = second.privileged.probeImage;
    await run('docker', ['run', '--rm', '--privileged', '--label', probeLabel, image, 'true']);
    const { stdout: id } = await run('docker', ['run', '-d', '--privileged', '--label', probeLabel, image, 'sleep', '120']);
    const { stdout: status } = await run('docker', ['exec', '--privileged', id.trim(), '/bin/busybox', 'cat', '/proc/self/status']);
    const effective = BigInt(`0x${/^CapEff:\s*([0-9a-f]+)/m.exec(status)?.[1]}`);
    const CAP_SYS_ADMIN = 21n;
    expect(effective & (1n << CAP_SYS_ADMIN)).not.toBe(0n);
    if (second.privileged.wrapper) {
      // What the host cannot grant was dropped, not granted: CAP_SYS_RESOURCE is bit 24.
      expect(second.privileged.missingCapabilities).toContain('CAP_SYS_RESOURCE');
      expect(effective & (1n << 24n)).toBe(0n);
    }
  });
});
