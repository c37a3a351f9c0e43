import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExecaDockerCli } from '../../../src/docker/docker-cli.js';
import { TEST_DOCKER_ENDPOINT } from '../support/fake-docker.js';
import { externalEtcdEndpoint, externalEtcdRunArgs, startExternalEtcd, waitForEtcdHealthy } from '../../../src/cluster/external-etcd.js';
import { FakeRunner } from '../support/fake-runner.js';

// Real etcdctl output, see test/fixtures/etcdctl/README.md for how it was captured.
const fixture = (file: string) => readFileSync(new URL(`../../fixtures/etcdctl/${file}`, import.meta.url), 'utf8');

describe('external etcd', () => {
  it("runs on the kind network with kindlab labels and NOT kind's cluster label, restarts, keeps data in a named volume", () => {
    const args = externalEtcdRunArgs('demo');
    expect(args.slice(0, 16)).toEqual([
      '--name',
      'demo-external-etcd',
      '--hostname',
      'demo-external-etcd',
      '--network',
      'kind',
      '--restart',
      'unless-stopped',
      '--label',
      'dev.kindlab.lab=demo',
      '--label',
      'dev.kindlab.component=etcd',
      '--volume',
      'demo-etcd-data:/var/lib/etcd',
      '--volume',
      'demo-etcd-pki:/etc/kubernetes/pki:ro',
    ]);
    expect(args.join(' ')).not.toContain('io.x-k8s.kind.cluster');
    expect(externalEtcdEndpoint('demo')).toBe('https://demo-external-etcd:2379');
  });

  it("serves clients only over TLS, only with a certificate from the lab's etcd CA; peer and metrics stay on loopback", () => {
    const args = externalEtcdRunArgs('demo');
    const flag = (name: string) => args[args.indexOf(name) + 1];
    expect(flag('--listen-client-urls')).toBe('https://0.0.0.0:2379');
    expect(flag('--advertise-client-urls')).toBe('https://demo-external-etcd:2379');
    expect(args).toContain('--client-cert-auth');
    expect(flag('--trusted-ca-file')).toBe('/etc/kubernetes/pki/etcd/ca.crt');
    expect(flag('--cert-file')).toBe('/etc/kubernetes/pki/etcd/server.crt');
    expect(flag('--key-file')).toBe('/etc/kubernetes/pki/etcd/server.key');
    for (const listener of ['--listen-peer-urls', '--listen-metrics-urls']) expect(flag(listener)).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(args.filter((a) => a.startsWith('http://0.0.0.0'))).toEqual([]);
  });

  it('creates the labelled data volume before the container', async () => {
    const runner = new FakeRunner();
    await startExternalEtcd(new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT), 'demo');
    expect(runner.lines((c) => c.args[0] !== 'image')).toEqual([
      'docker volume create --label dev.kindlab.lab=demo --label dev.kindlab.component=etcd demo-etcd-data',
      `docker run --detach ${externalEtcdRunArgs('demo').join(' ')}`,
    ]);
  });

  it('refuses to start without the etcd image, pointing at lab image build', async () => {
    const runner = new FakeRunner(() => ({ exitCode: 1, stderr: 'Error: No such image' }));
    await expect(startExternalEtcd(new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT), 'demo')).rejects.toMatchObject({
      hint: expect.stringContaining('lab image build'),
    });
    expect(runner.calls.some((c) => c.args[0] === 'run')).toBe(false);
  });

  it('waits, with the client certificate, until etcdctl reports the endpoint healthy', async () => {
    let attempts = 0;
    const runner = new FakeRunner(({ args }) => {
      if (args[0] !== 'exec') return undefined;
      attempts++;
      if (attempts === 1) return { exitCode: 1, stderr: fixture('endpoint-health-unhealthy.stderr') };
      if (attempts === 2) return { exitCode: 1, stderr: fixture('endpoint-health-no-client-cert.stderr') };
      return { stdout: fixture('endpoint-health-tls-healthy.stdout') };
    });
    await waitForEtcdHealthy(new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT), 'demo', 10_000);
    expect(attempts).toBe(3);
    expect(runner.calls.at(-1)?.args).toEqual([
      'exec',
      'demo-external-etcd',
      'etcdctl',
      '--endpoints=https://127.0.0.1:2379',
      '--cacert=/etc/kubernetes/pki/etcd/ca.crt',
      '--cert=/etc/kubernetes/pki/apiserver-etcd-client.crt',
      '--key=/etc/kubernetes/pki/apiserver-etcd-client.key',
      'endpoint',
      'health',
    ]);
  });
});
