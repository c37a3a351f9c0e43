import { readFileSync } from 'node:fs';
import type { V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { clearUnroutedConnections, kubernetesServiceAddress } from '../../../src/cluster/clear-unrouted-connections.js';
import { FakeDocker } from '../support/fake-docker.js';
import { FakeKubeApi } from '../support/fake-kube-api.js';

// Recorded by test/fixtures/record-unrouted-api-dials.sh on a single lab right after its node restarted.
const fixture = (file: string) => readFileSync(new URL(`../../fixtures/lab-stop-start/unrouted-api-dials/${file}`, import.meta.url), 'utf8');
const exitOf = (name: string) => Number(/exit (\d+)/.exec(fixture(`conntrack-${name}.exit`))![1]);
const answer = (name: string) => ({ stdout: fixture(`conntrack-${name}.stdout`), stderr: fixture(`conntrack-${name}.stderr`), exitCode: exitOf(name) });

describe('clearUnroutedConnections', () => {
  it('runs the recorded conntrack argv in every node and counts what each deleted (none: exit 1, still a count)', async () => {
    const docker = new FakeDocker();
    const calls: string[] = [];
    docker.execAnswer = (container, command) => {
      calls.push(`${container}: ${command.join(' ')}`);
      return answer(container === 'lab-control-plane' ? 'delete-some' : 'delete-none');
    };
    const counts = await clearUnroutedConnections(docker, ['lab-control-plane', 'lab-worker'], '10.96.0.1');
    expect([...counts]).toEqual([
      ['lab-control-plane', 6],
      ['lab-worker', 0],
    ]);
    // The command the recording ran, word for word (its node name aside).
    const recorded = fixture('command.txt')
      .trim()
      .replace(/^docker exec \S+ /, '');
    expect(calls).toEqual([`lab-control-plane: ${recorded}`, `lab-worker: ${recorded}`]);
  });
});

describe('kubernetesServiceAddress', () => {
  it('reads the ClusterIP of the recorded kubernetes Service', async () => {
    const api = new FakeKubeApi().add('service', 'default', JSON.parse(fixture('kubernetes-service.json')) as V1Service);
    expect(await kubernetesServiceAddress(api)).toBe('10.96.0.1');
  });

  it('answers undefined while the API cannot give it (asked again on the next round)', async () => {
    expect(await kubernetesServiceAddress(new FakeKubeApi())).toBeUndefined();
  });
});
