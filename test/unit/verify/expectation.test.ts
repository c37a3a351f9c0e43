import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/common/kindlab-error.js';
import { countMatches, parseExpectation } from '../../../src/verify/expectation.js';
import { loadExpectation } from '../../../src/verify/load-expectation.js';
import { parseVersionPattern, versionMatches } from '../../../src/verify/version-pattern.js';
import { warmSchemas } from '../support/warm-schemas.js';

warmSchemas('expectation');

describe('parseExpectation', () => {
  it('reads the README example: 3 control planes, 2 workers, v1.34.x, external etcd', () => {
    const e = parseExpectation('controlPlanes: 3\nworkers: 2\nkubernetesVersion: v1.34.x\netcd: external\n', 'mine.yaml');
    expect(e).toMatchObject({
      controlPlanes: { min: 3, exact: true },
      workers: { min: 2, exact: true },
      kubernetesVersion: { major: 1, minor: 34 },
      etcd: 'external',
      loadBalancer: true,
      cni: ['kindnetd', 'flanneld'],
      probes: true,
    });
  });

  it('takes "N+" as a minimum and defaults to stacked etcd without a load balancer for one control plane', () => {
    const e = parseExpectation('controlPlanes: 1\nworkers: 1+\n', 'x');
    expect(e.workers).toEqual({ min: 1, exact: false });
    expect(countMatches(e.workers, 5)).toBe(true);
    expect(countMatches(e.workers, 0)).toBe(false);
    expect(countMatches(e.controlPlanes, 2)).toBe(false);
    expect(e.etcd).toBe('stacked');
    expect(e.loadBalancer).toBe(false);
  });

  it.each([
    ['workers: 2\n', /: \/controlPlanes is required/],
    ['controlPlanes: 0\n', /\/controlPlanes must be >= 1 \(got 0\)/],
    ['controlPlanes: three\n', /\/controlPlanes must be a whole number from 1 \(3\) or a minimum \(3\+\) \(got "three"\)/],
    ['controlPlanes: 1\nworkers: -1\n', /\/workers must be >= 0 \(got -1\)/],
    ['controlPlanes: 1\nworkers: "-1"\n', /\/workers must be a whole number \(2\) or a minimum \(2\+\)/],
    ['controlPlanes: 1\netcd: sidecar\n', /\/etcd must be one of stacked, external \(got "sidecar"\)/],
    ['controlPlanes: 1\nkubernetesVersion: latest\n', /\/kubernetesVersion must be a version pattern .* \(got "latest"\)/],
    ['controlPlanes: 1\nkubernetesVersion: v1.x.4\n', /\/kubernetesVersion must be a version pattern .* \(got "v1\.x\.4"\)/],
    ['controlPlanes: 3\nloadBalancer: false\n', /\/loadBalancer cannot be false with more than one control plane/],
    ['controlPlanes: 1\nworker: 2\n', /\/worker is not a known field/],
    ['controlPlanes: 1\napiVersion: v1\n', /\/apiVersion must be kindlab.dev\/v1alpha1 \(got "v1"\)/],
    ['controlPlanes: 1\ncni: [Kindnetd]\nprobes: yes\n', /\/cni\/0 must be a process name .*; \/probes must be true or false \(got "yes"\)/],
    ['- controlPlanes: 1\n', /: \/ must be a mapping \(got a list\)/],
    ['controlPlanes: [1\n', /: not valid YAML/],
  ])('rejects %j with a usage error naming the field', (text, message) => {
    const attempt = () => parseExpectation(text, 'bad.yaml');
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as UsageError).exitCode).toBe(2);
      expect((error as UsageError).message.startsWith('bad.yaml')).toBe(true);
      expect((error as UsageError).hint).toMatch(/README/);
    }
  });
});

describe('loadExpectation', () => {
  it('reads every built-in from templates/expectations', async () => {
    const single = await loadExpectation('single');
    const multi = await loadExpectation('multi');
    const ha = await loadExpectation('ha');
    const external = await loadExpectation('external');
    expect([single.controlPlanes, single.workers]).toEqual([
      { min: 1, exact: true },
      { min: 0, exact: true },
    ]);
    expect(multi.workers).toEqual({ min: 1, exact: false });
    expect(ha.controlPlanes).toEqual({ min: 3, exact: false });
    expect(ha.loadBalancer).toBe(true);
    expect(external.etcd).toBe('external');
    expect(external.loadBalancer).toBe(false);
    for (const e of [single, multi, ha, external]) expect(e.kubernetesVersion?.text).toBe('v1.34.x');
  });

  it('reads a user file and refuses a missing one with a hint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kindlab-expect-'));
    const file = join(dir, 'lab.yaml');
    await writeFile(file, 'controlPlanes: 3\nworkers: 2\nkubernetesVersion: v1.34.x\netcd: external\n');
    expect((await loadExpectation(file)).source).toBe(file);
    await expect(loadExpectation(join(dir, 'nope.yaml'))).rejects.toThrow(/failed to read expectation file .*nope\.yaml: ENOENT/);
  });
});

describe('version patterns', () => {
  it('matches x-ranges, exact versions and ignores build metadata', () => {
    const minor = parseVersionPattern('v1.34.x')!;
    expect(versionMatches(minor, 'v1.34.4')).toBe(true);
    expect(versionMatches(minor, 'v1.34.0-rc.1+abc')).toBe(true);
    expect(versionMatches(minor, 'v1.35.0')).toBe(false);
    expect(versionMatches(parseVersionPattern('1.34.4')!, 'v1.34.4')).toBe(true);
    expect(versionMatches(parseVersionPattern('v1.34.4')!, 'v1.34.3')).toBe(false);
    expect(versionMatches(parseVersionPattern('v1.x')!, 'v1.29.1')).toBe(true);
    expect(versionMatches(minor, 'garbage')).toBe(false);
    expect(parseVersionPattern('v1.x.4')).toBeUndefined();
    expect(parseVersionPattern('latest')).toBeUndefined();
  });
});
