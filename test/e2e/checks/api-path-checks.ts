import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { doneIf } from '../../../src/common/wait-until.js';
import type { NodeSnapshot, ProcessRecord, Snapshot } from '../../../src/inspect/snapshot.js';
import { LAB_COMPONENT_LABEL, LAB_RUN_LABEL } from '../../../src/common/labels.js';
import { AGENT_COMPONENT, AGENT_NAMESPACE, agentSelector } from '../../../src/node/agent-pod-manifest.js';
import type { VerifyReport } from '../../../src/verify/check-result.js';
import type { LiveLab } from '../support/live-lab.js';
import { runLab, spawnLab } from '../support/run-lab.js';
import { waitWhileRunning } from '../support/wait-while-running.js';
import { readNodeRuntime, waitForSettledLab } from './settled-lab.js';

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

/** Gone from the API means stopped by the kubelet (agents are deleted gracefully): no agent sandbox may be Ready on any node. */
async function readyAgentSandboxes(lab: LiveLab): Promise<string[]> {
  const runtime = await Promise.all([...lab.controlPlaneContainers, ...lab.workerContainers].map(readNodeRuntime));
  return runtime.flatMap((n) =>
    n.sandboxes
      .filter((s) => s.state === 'SANDBOX_READY' && s.labels?.[LAB_COMPONENT_LABEL] === AGENT_COMPONENT)
      .map((s) => `${n.node}: ${s.metadata.name} of run ${s.labels?.[LAB_RUN_LABEL]}`),
  );
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

/** What differs between two Docker-path reads, node by node: processes that came or went, Ready sandboxes that came or went. */
function changesBetween(before: Snapshot, after: Snapshot): string[] {
  const changes: string[] = [];
  for (const node of before.nodes) {
    const other = after.nodes.find((n) => n.name === node.name);
    if (!other) {
      changes.push(`${node.name} gone`);
      continue;
    }
    for (const [what, a, b] of [
      ['process', lasting(node), lasting(other)],
      ['Ready sandbox', readySandboxes(node), readySandboxes(other)],
    ] as const) {
      const gone = a.filter((x) => !b.includes(x)).map((x) => `${node.name}: ${what} gone: ${x}`);
      const came = b.filter((x) => !a.includes(x)).map((x) => `${node.name}: ${what} new: ${x}`);
      changes.push(...gone, ...came);
    }
  }
  return changes;
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
      // Docker path, API path, Docker path again, each round on a settled lab (settled-lab.ts): the
      // comparison counts only when nothing changed meanwhile, and says what did when it never held.
      let taken: { before: Snapshot; api: Snapshot; after: Snapshot } | undefined;
      const changes: string[] = [];
      for (let attempt = 1; attempt <= 3 && !taken; attempt++) {
        await waitForSettledLab(lab);
        const before = await reportJson(['report', lab.name, '--format', 'json']);
        const api = await reportJson(apiArgs(lab, 'report', '--format', 'json'), NO_DOCKER);
        expect(await readyAgentSandboxes(lab)).toEqual([]);
        const after = await reportJson(['report', lab.name, '--format', 'json']);
        const changed = changesBetween(before, after);
        if (changed.length === 0) taken = { before, api, after };
        else changes.push(`round ${attempt}: ${changed.join('; ')}`);
      }
      // A round taken again is evidence for the next flake hunt, also when a later round held.
      if (changes.length > 0) console.warn(`API-path report comparison taken again: ${changes.join(' | ')}`);
      expect(taken, `the lab kept changing during three Docker/API/Docker rounds: ${changes.join(' | ')}`).toBeDefined();
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
      await waitForSettledLab(lab);
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

    it('Ctrl-C during lab report --via api removes its agents (pods and their sandboxes) before it exits 130', async () => {
      const lab = getLab();
      // Docker reachable here: --via api is what picks the API path.
      const report = spawnLab(apiArgs(lab, 'report', '--via', 'api', '--format', 'json'));
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
      expect(await readyAgentSandboxes(lab)).toEqual([]);
    });
  });
}
