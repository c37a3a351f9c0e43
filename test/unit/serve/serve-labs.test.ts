import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { HostedLabRecord } from '../../../src/hosted/hosted-lab-record.js';
import { hostedLabStatus } from '../../../src/hosted/hosted-lab-status.js';
import type { InspectDependencies } from '../../../src/inspect/inspect-cluster.js';
import { loadAnnotations } from '../../../src/report/annotations.js';
import { serveLabs, type ApiServedLab } from '../../../src/serve/serve-labs.js';
import { TOKEN_COOKIE } from '../../../src/serve/serve-http.js';
import { VerifyOutcomeStore } from '../../../src/verify/verify-outcome-store.js';
import { FakeKubeApi } from '../support/fake-kube-api.js';

/** Recorded from a real hosted lab (test/fixtures/hosted-lab/README.md). */
const fixture = (file: string) => readFileSync(new URL(`../../fixtures/hosted-lab/${file}`, import.meta.url), 'utf8');
const podReady = JSON.parse(fixture('pod-ready.json')) as V1Pod;
const labNodes = (JSON.parse(fixture('lab-nodes.json')) as { items: V1Node[] }).items;

/** hs3 as `lab up single --host-cluster` recorded it, its status read from the recorded host pod and lab nodes. */
function hostedLab(disposed: string[]): ApiServedLab {
  const dir = mkdtempSync(join(tmpdir(), 'kindlab-serve-hosted-'));
  const kubeconfig = join(dir, 'hs3.kubeconfig');
  writeFileSync(kubeconfig, fixture('kind-kubeconfig.yaml'));
  const record: HostedLabRecord = {
    apiVersion: 'kindlab.dev/hosted-lab/v1',
    name: 'hs3',
    runId: '0a1b2c3d',
    createdAt: '2026-12-01T11:00:00.000Z',
    topology: 'single',
    etcd: 'stacked',
    controlPlanes: 1,
    workers: 0,
    nodeImage: 'kindlab/node:v1.34.4',
    host: { kubeconfig: join(dir, 'host.kubeconfig'), context: 'kind-host1', server: 'https://127.0.0.1:35307' },
    namespace: 'default',
    pod: 'kindlab-hs3',
    service: 'kindlab-hs3',
    server: 'https://172.18.0.3:31234',
    kubeconfig,
  };
  const host = new FakeKubeApi().add('pod', 'default', podReady);
  return {
    name: 'hs3',
    // The page is never opened here: no node is read.
    inspect: {} as InspectDependencies,
    connect: async () => new FakeKubeApi({ nodes: labNodes }),
    status: () => hostedLabStatus(record, host, () => new FakeKubeApi({ nodes: labNodes })),
    dispose: async () => void disposed.push('hs3'),
  };
}

const options = () => ({
  listen: '127.0.0.1',
  port: 0,
  texts: loadAnnotations('en'),
  intervalMs: 60_000,
  outcomes: VerifyOutcomeStore.inHome(mkdtempSync(join(tmpdir(), 'kindlab-serve-home-'))),
});

describe('serveLabs with a lab read through its API (a hosted lab)', () => {
  it('serves it without a local Docker, lists it on the index by where it runs, and removes its agents on stop', async () => {
    const disposed: string[] = [];
    const serving = await serveLabs({ api: [hostedLab(disposed)] }, { ...options(), name: 'hs3' });
    try {
      expect(serving.labs).toEqual(['hs3']);
      const address = new URL(serving.url);
      const index = await fetch(`${address.origin}/labs`, { headers: { cookie: `${TOKEN_COOKIE}=${address.searchParams.get('token')}` } });
      const row = (await index.text()).split('\n').find((line) => line.startsWith('<tr data-lab="hs3">'));
      expect(row).toContain('single: hosted in pod default/kindlab-hs3');
      expect(row).toContain('1/1 Ready');
    } finally {
      await serving.stop();
    }
    expect(disposed).toEqual(['hs3']);
  });

  it('refuses a name that is neither a hosted lab nor (without Docker) a local one: exit 3, nothing served', async () => {
    await expect(serveLabs({ api: [hostedLab([])] }, { ...options(), name: 'nope' })).rejects.toMatchObject({
      message: 'lab nope does not exist',
      exitCode: 3,
    });
    await expect(serveLabs({ api: [] }, options())).rejects.toThrow('no labs to serve');
  });
});
