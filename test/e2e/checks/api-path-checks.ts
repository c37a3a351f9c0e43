import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { doneIf } from '../../../src/common/wait-until.js';
import type { NodeSnapshot, ProcessRecord, Snapshot } from '../../../src/inspect/snapshot.js';
import { AGENT_NAMESPACE, agentSelector } from '../../../src/node/agent-pod-manifest.js';
import type { VerifyReport } from '../../../src/verify/check-result.js';
import type { LiveLab } from '../support/live-lab.js';
import { runLab, spawnLab } from '../support/run-lab.js';
import { waitWhileRunning } from '../support/wait-while-running.js';

/** Docker unreachable for kindlab: the API path is the only way left (issue 13). */
const NO_DOCKER = { DOCKER_HOST: 'unix:///nonexistent.sock' };

function apiArgs(lab: LiveLab, command: string, ...rest: string[]): string[] {
  return [command, '--kubeconfig', lab.kubeconfigPath, '--context', lab.context, ...rest];
}

async function agentPods(lab: LiveLab): Promise<string[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(lab.kubeconfigPath);
  kc.setCurrentContext(lab.context);
  const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: AGENT_NAMESPACE, labelSelector: agentSelector() });
  return pods.items.map((p) => p.metadata?.name ?? '');
}

async function reportJson(args: string[], env?: Record<string, string>): Promise<Snapshot> {
  const run = await runLab(args, env ? { env } : {});
  expect(run.exitCode, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Snapshot;
}

/** What must be the same on both paths: every shim and pause with its parent and pod, every component and container main process. */
function lasting(node: NodeSnapshot): string[] {
  const pod = (p: ProcessRecord) => (p.identity.pod ? `${p.identity.pod.namespace}/${p.identity.pod.name}` : '-');
  return node.processes
    .filter(
      (p) => p.identity.kind === 'shim' || p.identity.kind === 'pause' || p.identity.kind === 'system' || (p.identity.kind === 'container' && p.identity.main),
    )
    .map((p) => `${p.pid} ${p.ppid} ${p.identity.kind} ${pod(p)} ${p.args}`)
    .sort();
}

function readySandboxes(node: NodeSnapshot): string[] {
  return (node.containerd?.sandboxes ?? [])
    .filter((s) => s.state === 'SANDBOX_READY')
    .map((s) => s.id)
    .sort();
}

export function registerApiPathChecks(getLab: () => LiveLab): void {
  describe('API path (--kubeconfig only, Docker unreachable)', () => {
    it('lab report --format json shows the same processes per node as the Docker path, without the agents', async () => {
      const lab = getLab();
      // Docker path, API path, Docker path again: the comparison counts only when nothing changed
      // meanwhile (a pod of an earlier check still going away); otherwise the three are taken again.
      let taken: { before: Snapshot; api: Snapshot; after: Snapshot } | undefined;
      for (let attempt = 1; attempt <= 3 && !taken; attempt++) {
        const before = await reportJson(['report', lab.name, '--format', 'json']);
        const api = await reportJson(apiArgs(lab, 'report', '--format', 'json'), NO_DOCKER);
        const after = await reportJson(['report', lab.name, '--format', 'json']);
        const still = before.nodes.every((n) => JSON.stringify(lasting(n)) === JSON.stringify(lasting(after.nodes.find((m) => m.name === n.name)!)));
        // A pod an earlier check deleted leaves a NotReady sandbox until the kubelet collects it: only Ready ones must match.
        const sandboxesStill = before.nodes.every((n) => readySandboxes(n).join() === readySandboxes(after.nodes.find((m) => m.name === n.name)!).join());
        if (still && sandboxesStill) taken = { before, api, after };
      }
      expect(taken, 'the lab kept changing during three Docker/API/Docker rounds').toBeDefined();
      const { before: docker, api } = taken!;
      expect(api.warnings).toEqual([]);
      const kubeNodes = docker.nodes.filter((n) => n.role === 'control-plane' || n.role === 'worker');
      expect(api.nodes.map((n) => n.name).sort()).toEqual(kubeNodes.map((n) => n.name).sort());
      for (const node of kubeNodes) {
        const other = api.nodes.find((n) => n.name === node.name)!;
        expect(lasting(other), node.name).toEqual(lasting(node));
        expect(readySandboxes(other), node.name).toEqual(readySandboxes(node));
        // The agent's own pod, shim, sleep and the commands it ran are left out.
        expect(other.processes.filter((p) => p.identity.pod?.name.startsWith('kindlab-agent-') || p.args.includes('kindlab-section-'))).toEqual([]);
      }
      expect(api.kubernetes.pods.filter((p) => p.name.startsWith('kindlab-agent-'))).toEqual([]);
      expect(await agentPods(lab)).toEqual([]);
    });

    it('lab verify gives the same verdicts as the Docker path', async () => {
      const lab = getLab();
      const docker = await runLab(['verify', lab.name, '--format', 'json']);
      const api = await runLab(apiArgs(lab, 'verify', '--format', 'json'), { env: NO_DOCKER });
      expect(api.exitCode, api.stdout + api.stderr).toBe(docker.exitCode);
      const [viaDocker, viaApi] = [docker, api].map((r) => JSON.parse(r.stdout) as VerifyReport) as [VerifyReport, VerifyReport];
      expect(viaApi.passed).toBe(true);
      const statusOf = (report: VerifyReport) => new Map(report.checks.map((c) => [c.name, c.status]));
      const apiStatus = statusOf(viaApi);
      const shared = viaDocker.checks.filter((c) => apiStatus.has(c.name));
      for (const check of shared) expect(`${check.name}: ${apiStatus.get(check.name)}`).toBe(`${check.name}: ${check.status}`);
      // Only the load balancer's container checks have other names on the API path (its stand-ins).
      const missing = viaDocker.checks.filter((c) => !apiStatus.has(c.name) && c.group !== 'load-balancer');
      expect(missing.map((c) => c.name)).toEqual([]);
      if (lab.controlPlanes > 1) expect(viaApi.checks.filter((c) => c.group === 'load-balancer').length).toBe(1 + lab.controlPlanes);
      expect(await agentPods(lab)).toEqual([]);
    });

    it('Ctrl-C while the agents read the nodes removes them and exits 130', async () => {
      const lab = getLab();
      const report = spawnLab(apiArgs(lab, 'report', '--format', 'json'), NO_DOCKER);
      await waitWhileRunning(
        report,
        async () => {
          const pods = await agentPods(lab);
          return doneIf(pods.length > 0, `${pods.length} agent pod(s)`);
        },
        { what: 'the report to start an agent pod', timeoutMs: 5 * 60_000, intervalMs: 100 },
      );
      report.kill('SIGINT');
      const result = await report;
      expect(result.exitCode, String(result.stderr)).toBe(130);
      expect(await agentPods(lab)).toEqual([]);
    });
  });
}
