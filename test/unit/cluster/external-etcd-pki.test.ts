import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { ExecaDockerCli } from '../../../src/docker/docker-cli.js';
import { TEST_DOCKER_ENDPOINT } from '../support/fake-docker.js';
import { createEtcdPki, etcdPkiHostDir, kubeadmCertPhaseArgs, renderEtcdCertsConfig } from '../../../src/cluster/external-etcd-pki.js';
import { FakeRunner } from '../support/fake-runner.js';

describe('external etcd PKI', () => {
  it("asks kubeadm for the etcd container's DNS name as the server certificate's name and SAN, with the volume as certificatesDir", () => {
    const docs = loadAll(renderEtcdCertsConfig('demo-external-etcd')) as Array<Record<string, any>>;
    const init = docs.find((d) => d.kind === 'InitConfiguration')!;
    const cluster = docs.find((d) => d.kind === 'ClusterConfiguration')!;
    expect(init.nodeRegistration.name).toBe('demo-external-etcd');
    expect(cluster.etcd.local.serverCertSANs).toEqual(['demo-external-etcd']);
    expect(cluster.certificatesDir).toBe('/pki');
    // Not loopback: kubeadm then tries to pick an address of its own container, which has no network.
    expect(init.localAPIEndpoint.advertiseAddress).toBe('192.0.2.1');
    expect(docs.every((d) => d.apiVersion === 'kubeadm.k8s.io/v1beta4')).toBe(true);
  });

  it('runs each kubeadm phase in a throwaway, offline, labelled container of the node image', () => {
    expect(kubeadmCertPhaseArgs('demo', 'kindlab/node:v1.34.4', 'etcd-server')).toEqual([
      '--rm',
      '--interactive',
      '--network',
      'none',
      '--label',
      'dev.kindlab.lab=demo',
      '--label',
      'dev.kindlab.component=etcd-pki',
      '--volume',
      'demo-etcd-pki:/pki',
      '--entrypoint',
      'kubeadm',
      'kindlab/node:v1.34.4',
      'init',
      'phase',
      'certs',
      'etcd-server',
      '--config',
      '/dev/stdin',
    ]);
  });

  it('puts the files in a labelled volume, CA first, the config on stdin', async () => {
    const hostDir = etcdPkiHostDir('/var/lib/docker', 'demo');
    expect(hostDir).toBe('/var/lib/docker/volumes/demo-etcd-pki/_data');
    const runner = new FakeRunner(({ args }) => (args[0] === 'volume' && args[1] === 'inspect' ? { stdout: `${hostDir}\n` } : undefined));
    await expect(createEtcdPki(new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT), 'demo', 'demo-external-etcd', 'kindlab/node:v1.34.4', hostDir)).resolves.toBe(
      hostDir,
    );
    expect(runner.lines()).toEqual([
      'docker volume create --label dev.kindlab.lab=demo --label dev.kindlab.component=etcd-pki demo-etcd-pki',
      'docker volume inspect --format {{.Mountpoint}} demo-etcd-pki',
      ...['etcd-ca', 'etcd-server', 'apiserver-etcd-client'].map(
        (phase) => `docker run ${kubeadmCertPhaseArgs('demo', 'kindlab/node:v1.34.4', phase as 'etcd-ca').join(' ')}`,
      ),
    ]);
    const runs = runner.calls.filter((c) => c.args[0] === 'run');
    expect(runs.every((c) => c.options.input === renderEtcdCertsConfig('demo-external-etcd'))).toBe(true);
  });

  it('stops with the failed kubeadm command when a phase fails', async () => {
    const runner = new FakeRunner(({ args }) => {
      if (args[1] === 'inspect') return { stdout: '/var/lib/docker/volumes/demo-etcd-pki/_data' };
      // What kubeadm v1.34.4 printed (exit 1) for `unshare --net kubeadm init phase certs etcd-server --config cfg.yaml`
      // when the config's advertiseAddress was 127.0.0.1 and there was no network to pick another from.
      if (args[0] === 'run' && args.includes('etcd-server')) {
        return {
          exitCode: 1,
          stderr: 'error: unable to select an IP from lo network interface\nTo see the stack trace of this error execute with --v=5 or higher\n',
        };
      }
      return undefined;
    });
    await expect(
      createEtcdPki(new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT), 'demo', 'demo-external-etcd', 'img', '/var/lib/docker/volumes/demo-etcd-pki/_data'),
    ).rejects.toThrow(
      /\$ docker run --rm --interactive .* init phase certs etcd-server --config \/dev\/stdin\n.*unable to select an IP from lo network interface/,
    );
    expect(runner.calls.some((c) => c.args.includes('apiserver-etcd-client'))).toBe(false);
  });
});
