import { readFileSync } from 'node:fs';
import type { SocketRecord } from '../../../src/inspect/parse-ss-output.js';
import type { ProbePodOutcome } from '../../../src/verify/cluster-evidence.js';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../src/verify/check-result.js';
import { parseExpectation } from '../../../src/verify/expectation.js';
import { loadExpectation } from '../../../src/verify/load-expectation.js';
import { runChecks } from '../../../src/verify/run-checks.js';
import { recordedEvidence } from './fixtures.js';

const failures = (checks: CheckResult[]) => checks.filter((c) => c.status === 'fail');
const names = (checks: CheckResult[]) => checks.map((c) => c.name);

describe('checks on a healthy multi cluster (recorded)', () => {
  it('all pass, with evidence, for the multi expectation', async () => {
    const evidence = recordedEvidence('multi-healthy');
    expect(evidence.recordedWith).toMatch(/^lab verify verify-multi --expect multi --evidence-out/);
    const checks = runChecks(evidence, await loadExpectation('multi'));
    expect(failures(checks)).toEqual([]);
    expect(names(checks.filter((c) => c.group === 'control-plane'))).toEqual([
      'kube-apiserver on verify-multi-control-plane',
      'kube-scheduler on verify-multi-control-plane',
      'kube-controller-manager on verify-multi-control-plane',
      'etcd on verify-multi-control-plane',
    ]);
    const scheduler = checks.find((c) => c.name === 'kube-scheduler on verify-multi-control-plane')!;
    expect(scheduler.evidence.join('\n')).toMatch(/shim pid \d+: \/usr\/bin\/containerd-shim-runc-v2 -namespace k8s\.io -id/);
    expect(scheduler.evidence.join('\n')).toContain('static pod kube-system/kube-scheduler-verify-multi-control-plane');
    expect(names(checks.filter((c) => c.group === 'workers'))).toEqual([
      'kubelet on verify-multi-worker',
      'containerd on verify-multi-worker',
      'kube-proxy on verify-multi-worker',
      'flanneld on verify-multi-worker',
    ]);
    expect(checks.find((c) => c.name === 'pod DNS on verify-multi-worker')?.evidence.join('\n')).toContain('is healthy');
  });

  it('passes pod DNS on a second client and shows the first attempt that failed (its pod, exit and last log line)', async () => {
    const evidence = recordedEvidence('multi-healthy');
    const probes = evidence.probePods as { ok: true; value: ProbePodOutcome[] };
    const outcome = probes.value.find((o) => o.targetNode === 'verify-multi-worker')!;
    const log = readFileSync(new URL('../../fixtures/verify/raw/probe-client-404.txt', import.meta.url), 'utf8');
    outcome.firstAttempt = { pod: 'default/kindlab-verify-b697bc0b-probe-0', phase: 'Failed', exitCode: 1, log };
    const dns = runChecks(evidence, await loadExpectation('multi')).find((c) => c.name === 'pod DNS on verify-multi-worker')!;
    expect(dns.status).toBe('pass');
    expect(dns.evidence.slice(0, 3)).toEqual([
      'first attempt: pod default/kindlab-verify-b697bc0b-probe-0, phase Failed, exit 1; the pod below is the second',
      `first attempt log: ${log.trim().split('\n').at(-1)}`,
      'first attempt reached no etcd (HTTP 404 is not a gRPC answer): kube-proxy on verify-multi-worker had likely not routed the Service, so its ClusterIP left the node and a server outside the cluster answered',
    ]);
  });

  it('fails pod DNS when both clients met a Service kube-proxy had not routed, and says so (kube-proxy frozen while they ran)', async () => {
    const evidence = recordedEvidence('multi-healthy');
    const probes = evidence.probePods as { ok: true; value: ProbePodOutcome[] };
    const outcome = probes.value.find((o) => o.targetNode === 'verify-multi-worker')!;
    // test/fixtures/record-unrouted-service.sh: the client's log with kube-proxy stopped on its node.
    const log = readFileSync(new URL('../../fixtures/verify/raw/unrouted-service/frozen-client-log.txt', import.meta.url), 'utf8');
    Object.assign(outcome, {
      phase: 'Failed',
      exitCode: 1,
      log,
      firstAttempt: { pod: 'default/kindlab-verify-b697bc0b-probe-0', phase: 'Failed', exitCode: 1, log },
    });
    const dns = runChecks(evidence, await loadExpectation('multi')).find((c) => c.name === 'pod DNS on verify-multi-worker')!;
    expect(dns.status).toBe('fail');
    expect(dns.summary).toContain('could not resolve or reach');
    expect(dns.evidence.filter((line) => line.includes('reached no etcd (HTTP 404 is not a gRPC answer): kube-proxy on verify-multi-worker'))).toEqual([
      expect.stringMatching(/^first attempt reached no etcd/),
      expect.stringMatching(new RegExp(`^pod ${outcome.pod} reached no etcd`)),
    ]);
  });

  it('adds no such line for a client that reached etcd (the same recording, after kube-proxy ran again)', async () => {
    const evidence = recordedEvidence('multi-healthy');
    const probes = evidence.probePods as { ok: true; value: ProbePodOutcome[] };
    const outcome = probes.value.find((o) => o.targetNode === 'verify-multi-worker')!;
    outcome.log = readFileSync(new URL('../../fixtures/verify/raw/unrouted-service/synced-client-log.txt', import.meta.url), 'utf8');
    const dns = runChecks(evidence, await loadExpectation('multi')).find((c) => c.name === 'pod DNS on verify-multi-worker')!;
    expect(dns.status).toBe('pass');
    expect(dns.evidence.some((line) => line.includes('reached no etcd'))).toBe(false);
  });

  it('fails the ha expectation on counts and the missing load balancer', async () => {
    const checks = runChecks(recordedEvidence('multi-healthy'), await loadExpectation('ha'));
    expect(failures(checks).map((c) => c.summary)).toEqual(
      expect.arrayContaining(['found 1 control planes, expected at least 3', 'no container labelled io.x-k8s.kind.role=external-load-balancer']),
    );
  });

  it('fails on a version outside the expected pattern, naming each kubelet', async () => {
    const expectation = { ...(await loadExpectation('multi')), kubernetesVersion: { text: 'v1.33.x', major: 1, minor: 33 } };
    const broken = failures(runChecks(recordedEvidence('multi-healthy'), expectation));
    expect(broken.map((c) => c.summary)).toEqual([
      'kube-apiserver is v1.34.4, expected v1.33.x',
      'kubelet on verify-multi-control-plane is v1.34.4, expected v1.33.x',
      'kubelet on verify-multi-worker is v1.34.4, expected v1.33.x',
    ]);
  });

  it('notices a second pause under a shim and a kubelet without its API connection', async () => {
    const evidence = recordedEvidence('multi-healthy');
    const worker = evidence.snapshot.nodes.find((n) => n.name === 'verify-multi-worker')!;
    const pause = worker.processes.find((p) => p.identity.kind === 'pause')!;
    worker.processes.push({ ...pause, pid: 99999 });
    evidence.kubeletConnections['verify-multi-worker'] = {
      ok: true,
      value: (evidence.kubeletConnections['verify-multi-worker'] as { value: SocketRecord[] }).value.filter(
        (c) => !(c.users.some((u) => u.name === 'kubelet') && c.peer.port === '6443'),
      ),
    };
    const broken = failures(runChecks(evidence, await loadExpectation('multi')));
    expect(broken.map((c) => c.summary)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pause and sandboxes disagree on verify-multi-worker: sandbox \w+ of pod kube-system\/\S+: 2 pause processes/),
        expect.stringMatching(/on verify-multi-worker: its shim holds 2 pause processes, expected exactly 1$/),
        'kubelet on verify-multi-worker has no established connection to verify-multi-control-plane (172.18.0.14:6443)',
      ]),
    );
    expect(broken.every((c) => c.node === 'verify-multi-worker')).toBe(true);
  });
});

describe('checks on recorded faults', () => {
  it('kube-scheduler stopped: fails naming the scheduler and its node', async () => {
    const checks = runChecks(recordedEvidence('multi-scheduler-stopped'), await loadExpectation('multi'));
    const scheduler = failures(checks).find((c) => c.component === 'kube-scheduler')!;
    expect(scheduler).toMatchObject({
      group: 'control-plane',
      name: 'kube-scheduler on verify-multi-control-plane',
      node: 'verify-multi-control-plane',
      summary: 'kube-scheduler is not running on verify-multi-control-plane',
    });
    expect(scheduler.evidence).toContain('containerd: no container named kube-scheduler');
    // Nothing else on the control plane is blamed.
    expect(failures(checks).filter((c) => c.group === 'control-plane')).toHaveLength(1);
    // Without a scheduler the probe pod stays unscheduled.
    expect(checks.find((c) => c.name === 'a pod is scheduled and runs on verify-multi-worker')?.summary).toMatch(/Pending, not scheduled/);
  });

  it('worker container stopped: every failure names the worker', async () => {
    const broken = failures(runChecks(recordedEvidence('multi-worker-stopped'), await loadExpectation('multi')));
    expect(broken.length).toBeGreaterThan(3);
    expect(broken.every((c) => c.node === 'verify-multi-worker')).toBe(true);
    expect(broken.find((c) => c.group === 'nodes')?.summary).toBe('node verify-multi-worker (worker) is down: its container is exited');
  });
});

describe('a pod whose container containerd put in a shim of its own (recorded: test/fixtures/record-split-shim.sh)', () => {
  const flanneld = (checks: CheckResult[], node: string) => checks.find((c) => c.name === `flanneld on ${node}`)!;

  it("passes flanneld on both workers, naming the second shim and where the pod's pause runs", async () => {
    const evidence = recordedEvidence('multi-split-shim');
    expect(evidence.recordedWith).toBe('lab verify rm --expect multi --evidence-out test/fixtures/verify/multi-split-shim.json');
    const checks = runChecks(evidence, await loadExpectation('multi'));
    expect(failures(checks)).toEqual([]);
    for (const node of ['rm-worker', 'rm-worker2']) {
      const check = flanneld(checks, node);
      expect(check.summary).toBe(`flanneld runs on ${node} in a second shim of its pod, beside the shim with its pause`);
      expect(check.evidence).toContain('pause under that shim: none');
      expect(check.evidence.join('\n')).toMatch(/that shim was started for container kube-flannel \w{13}, not for its sandbox \w{13}/);
      expect(check.evidence.join('\n')).toMatch(/the pod's pause: pid \d+ under shim pid \d+ \(-id \w{13}\)/);
    }
  });

  it('fails as before when the pod has no pause anywhere (its pause process taken out of the recording)', async () => {
    const evidence = recordedEvidence('multi-split-shim');
    const worker = evidence.snapshot.nodes.find((n) => n.name === 'rm-worker2')!;
    const sandbox = worker.processes.find((p) => p.identity.component === 'flanneld')!.identity.sandboxId;
    worker.processes = worker.processes.filter((p) => !(p.identity.kind === 'pause' && p.identity.sandboxId === sandbox));
    const check = flanneld(runChecks(evidence, await loadExpectation('multi')), 'rm-worker2');
    expect(check.status).toBe('fail');
    expect(check.summary).toBe('flanneld on rm-worker2: its shim holds 0 pause processes, expected exactly 1');
  });

  it('fails when the shim was started for a container of another pod', async () => {
    const evidence = recordedEvidence('multi-split-shim');
    const worker = evidence.snapshot.nodes.find((n) => n.name === 'rm-worker')!;
    const proxy = worker.containerd!.containers.find((c) => c.name === 'kube-proxy')!;
    const flannel = worker.containerd!.containers.find((c) => c.name === 'kube-flannel')!;
    flannel.sandboxId = proxy.sandboxId;
    expect(flanneld(runChecks(evidence, await loadExpectation('multi')), 'rm-worker').status).toBe('fail');
  });
});

describe('checks on a recorded ha cluster', () => {
  it('pass: the load balancer forwards to every control plane, one etcd member per control plane', async () => {
    const checks = runChecks(recordedEvidence('ha-healthy'), await loadExpectation('ha'));
    expect(failures(checks)).toEqual([]);
    expect(names(checks.filter((c) => c.group === 'load-balancer'))).toEqual([
      'load balancer container',
      'API through the load balancer',
      'load balancer forwards to verify-ha-control-plane',
      'load balancer forwards to verify-ha-control-plane2',
      'load balancer forwards to verify-ha-control-plane3',
    ]);
    expect(checks.find((c) => c.name === 'etcd members')?.summary).toBe('3 started, healthy etcd members for 3 control planes');
    // Workers reach the API through the load balancer; control planes' kubelets use their local API server.
    expect(checks.find((c) => c.name === 'kubelet on verify-ha-worker connected to the API endpoint')?.summary).toMatch(
      /holds a connection to verify-ha-external-load-balancer \(172\.18\.0\.\d+:6443\)$/,
    );
    expect(checks.find((c) => c.name === 'kubelet on verify-ha-control-plane2 connected to the API endpoint')?.summary).toMatch(/its own API server/);
  });

  it('fails when the load balancer config leaves a control plane out', async () => {
    const evidence = recordedEvidence('ha-healthy');
    const backends = evidence.loadBalancerBackends as { ok: true; value: Array<{ name: string; address: string }> };
    backends.value = backends.value.filter((b) => b.name !== 'verify-ha-control-plane2');
    const broken = failures(runChecks(evidence, await loadExpectation('ha')));
    expect(broken.map((c) => [c.summary, c.node])).toEqual([
      ['verify-ha-external-load-balancer does not forward to control plane verify-ha-control-plane2', 'verify-ha-control-plane2'],
    ]);
  });

  it('one etcd member stopped: fails naming etcd and the control plane it ran on', async () => {
    const broken = failures(runChecks(recordedEvidence('ha-etcd-stopped'), await loadExpectation('ha')));
    expect(broken.map((c) => c.name)).toEqual(['etcd on verify-ha-control-plane3', 'etcd members', 'etcd member on verify-ha-control-plane3']);
    expect(broken.every((c) => c.component === 'etcd')).toBe(true);
    expect(broken[2]!.summary).toBe('etcd member verify-ha-control-plane3 on verify-ha-control-plane3 is not healthy: context deadline exceeded');
    expect(broken[1]!.evidence).toContainEqual(
      expect.stringMatching(/verify-ha-control-plane3 https:\/\/172\.18\.0\.\d+:2379: unhealthy \(context deadline exceeded\)$/),
    );
  });
});

describe('checks on a recorded external-etcd cluster', () => {
  it('pass on ha with external etcd: etcd is a container of the lab, healthy over TLS, no static pod, every API server uses it over https', async () => {
    const evidence = recordedEvidence('ha-external-healthy');
    const checks = runChecks(evidence, parseExpectation('controlPlanes: 3\nworkers: 1\netcd: external\n', 'test'));
    expect(failures(checks)).toEqual([]);
    expect(names(checks.filter((c) => c.group === 'etcd'))).toEqual([
      'etcd runs outside the cluster',
      'external etcd is healthy',
      ...[1, 2, 3].map((i) => `kube-apiserver on etcd-hax-control-plane${i === 1 ? '' : i} uses the external etcd`),
    ]);
    expect(checks.find((c) => c.name === 'external etcd is healthy')!.evidence[0]).toMatch(/--cert=\/etc\/kubernetes\/pki\/apiserver-etcd-client\.crt/);
    expect(checks.find((c) => c.name === 'kube-apiserver on etcd-hax-control-plane uses the external etcd')!.evidence).toEqual(
      expect.arrayContaining(['--etcd-servers=https://etcd-hax-external-etcd:2379', '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt']),
    );
    expect(names(checks.filter((c) => c.group === 'control-plane'))).not.toContain('etcd on etcd-hax-control-plane');
  });

  it("passes with an earlier verify's DNS target etcd still running on a control plane (recorded in CI: its pod had left the API)", async () => {
    const evidence = recordedEvidence('ha-external-leftover-probe');
    const cp = evidence.snapshot.nodes.find((n) => n.name === 'e2e-etcd-control-plane')!;
    const leftover = cp.processes.find((p) => p.identity.component === 'etcd')!;
    expect(leftover.identity.pod).toMatchObject({ namespace: 'default', name: 'kindlab-verify-dns-ce1792f6' });
    expect(evidence.snapshot.kubernetes.pods.filter((p) => p.name.startsWith('kindlab-verify'))).toEqual([]);
    const checks = runChecks(evidence, parseExpectation('controlPlanes: 3\nworkers: 1\netcd: external\n', 'test'));
    expect(failures(checks)).toEqual([]);
    expect(checks.find((c) => c.name === 'etcd runs outside the cluster')!.evidence).toContain('etcd processes on control planes: none; static etcd pods: 0');

    // The same process in kube-system is the cluster's own etcd: named as running inside.
    leftover.identity.pod = { ...leftover.identity.pod!, namespace: 'kube-system' };
    const stacked = failures(runChecks(evidence, parseExpectation('controlPlanes: 3\nworkers: 1\netcd: external\n', 'test')));
    expect(stacked.map((c) => c.summary)).toEqual(['etcd also runs inside the cluster: e2e-etcd-control-plane']);
  });

  it('a lab from before TLS (recorded with the plain-HTTP external etcd) fails, naming the apiserver that reaches etcd without TLS', async () => {
    const checks = runChecks(recordedEvidence('external-plain-http'), await loadExpectation('external'));
    expect(failures(checks).map((c) => c.summary)).toEqual([
      'kube-apiserver on verify-ext-control-plane reaches etcd without TLS: http://verify-ext-external-etcd:2379',
    ]);
  });

  it('the stacked expectation on it fails naming the missing etcd static pod', async () => {
    const checks = runChecks(recordedEvidence('external-plain-http'), await loadExpectation('multi'));
    expect(failures(checks).map((c) => c.summary)).toEqual(['etcd is not running on verify-ext-control-plane']);
    // Recorded for the external expectation, so the stacked member query was never made.
    expect(checks.find((c) => c.name === 'etcd members')).toMatchObject({ status: 'skip', summary: 'etcd was not queried' });
  });

  it('the external expectation on a stacked cluster fails: no etcd container', async () => {
    const broken = failures(runChecks(recordedEvidence('multi-healthy'), await loadExpectation('external')));
    expect(broken.map((c) => c.summary)).toEqual(['no container labelled dev.kindlab.component=etcd for this lab']);
  });

  it('an API server pointing elsewhere is named', async () => {
    const evidence = recordedEvidence('external-plain-http');
    const cp = evidence.snapshot.nodes.find((n) => n.role === 'control-plane')!;
    const apiserver = cp.processes.find((p) => p.args.startsWith('kube-apiserver'))!;
    apiserver.args = apiserver.args.replace(/--etcd-servers=\S+/, '--etcd-servers=https://127.0.0.1:2379');
    const broken = failures(runChecks(evidence, await loadExpectation('external')));
    expect(broken.map((c) => c.summary)).toEqual(['kube-apiserver on verify-ext-control-plane uses etcd at 127.0.0.1, not verify-ext-external-etcd']);
  });
});
