import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExecaDockerCli } from '../../../src/cluster/docker-cli.js';
import { externalEtcdEndpoint, externalEtcdRunArgs, startExternalEtcd, waitForEtcdHealthy } from '../../../src/cluster/external-etcd.js';
import { FakeRunner } from '../support/fake-runner.js';

// Real etcdctl output, see test/fixtures/etcdctl/README.md for how it was captured.
const fixture = (file: string) => readFileSync(new URL(`../../fixtures/etcdctl/${file}`, import.meta.url), 'utf8');

describe('external etcd', () => {
  it('runs on the kind network with kindlab labels and NOT kind\'s cluster label', () => {
    const args = externalEtcdRunArgs('demo');
    expect(args.slice(0, 12)).toEqual([
      '--name', 'demo-external-etcd',
      '--hostname', 'demo-external-etcd',
      '--network', 'kind',
      '--label', 'dev.kindlab.lab=demo',
      '--label', 'dev.kindlab.component=etcd',
      '--volume', '/var/lib/etcd',
    ]);
    expect(args.join(' ')).not.toContain('io.x-k8s.kind.cluster');
    expect(args).toContain('--advertise-client-urls');
    expect(args[args.indexOf('--advertise-client-urls') + 1]).toBe('http://demo-external-etcd:2379');
    expect(externalEtcdEndpoint('demo')).toBe('http://demo-external-etcd:2379');
  });

  it('refuses to start without the etcd image, pointing at lab image build', async () => {
    const runner = new FakeRunner(() => ({ exitCode: 1, stderr: 'Error: No such image' }));
    await expect(startExternalEtcd(new ExecaDockerCli(runner), 'demo')).rejects.toMatchObject({ hint: expect.stringContaining('lab image build') });
    expect(runner.calls.some((c) => c.args[0] === 'run')).toBe(false);
  });

  it('waits until etcdctl reports the endpoint healthy', async () => {
    let attempts = 0;
    const runner = new FakeRunner(({ args }) => {
      if (args[0] !== 'exec') return undefined;
      attempts++;
      return attempts < 2 ? { exitCode: 1, stderr: fixture('endpoint-health-unhealthy.stderr') } : { stdout: fixture('endpoint-health-healthy.stdout') };
    });
    await waitForEtcdHealthy(new ExecaDockerCli(runner), 'demo', 10_000);
    expect(runner.calls.at(-1)?.args).toEqual(['exec', 'demo-external-etcd', 'etcdctl', '--endpoints', 'http://127.0.0.1:2379', 'endpoint', 'health']);
  });
});
