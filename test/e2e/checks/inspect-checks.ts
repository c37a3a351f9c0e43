import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ChildProcessCommandRunner } from '../../../src/common/child-process-command-runner.js';
import { LAB_LABEL } from '../../../src/common/labels.js';
import { doneIf, waitUntil, type WaitCheckResult } from '../../../src/common/wait-until.js';
import { defaultInspectDependencies } from '../../../src/inspect/default-inspect-dependencies.js';
import { inspectCluster } from '../../../src/inspect/inspect-cluster.js';
import { parsePsOutput, type PsEntry } from '../../../src/inspect/parse-ps-output.js';
import { PS_ARGV } from '../../../src/inspect/read-node-processes.js';
import { redactText } from '../../../src/inspect/redact-secrets.js';
import type { Snapshot } from '../../../src/inspect/snapshot.js';
import { loadAnnotations } from '../../../src/report/annotations.js';
import { renderReport } from '../../../src/report/render-report.js';
import type { LiveLab } from '../support/live-lab.js';
import { runLab } from '../support/run-lab.js';

const HOSTILE = '<script>alert(1)</script>';
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
const runner = new ChildProcessCommandRunner();

/** The independent view the report is compared with: a plain `docker exec`, not kindlab's NodeExec. */
async function dockerPs(node: string): Promise<PsEntry[]> {
  const result = await runner.run('docker', ['exec', node, ...PS_ARGV]);
  return parsePsOutput(result.stdout);
}

/** As `lab report <name>` takes it: the API through the cluster's own admin.conf, not the test's kubeconfig. */
async function snapshotOf(lab: LiveLab): Promise<Snapshot> {
  return inspectCluster(defaultInspectDependencies(), { cluster: lab.name });
}

/** Processes a concurrent `docker exec` adds (our ps, crictl, the other side's ps). */
function isExecd(p: PsEntry): boolean {
  return p.ppid === 0 && p.pid !== 1;
}

export function registerInspectChecks(getLab: () => LiveLab): void {
  describe('lab inspect / lab report', () => {
    it('reports the same processes per node as docker exec ps taken at the same moment', async () => {
      const lab = getLab();
      const kubeNodes = (await snapshotOf(lab)).nodes.filter((n) => n.role === 'control-plane' || n.role === 'worker');
      const before = await Promise.all(kubeNodes.map((n) => dockerPs(n.name)));
      const [snapshot, during] = await Promise.all([snapshotOf(lab), Promise.all(kubeNodes.map((n) => dockerPs(n.name)))]);
      const after = await Promise.all(kubeNodes.map((n) => dockerPs(n.name)));
      kubeNodes.forEach((kubeNode, i) => {
        const node = snapshot.nodes.find((n) => n.name === kubeNode.name)!;
        const reported = new Map(node.processes.map((p) => [p.pid, p]));
        const seen = [before[i]!, during[i]!, after[i]!].map((list) => list.filter((p) => !isExecd(p)));
        const stable = seen[0]!.filter((p) => seen.every((list) => list.some((q) => q.pid === p.pid && q.args === p.args)));
        const anyTime = new Set(seen.flat().map((p) => p.pid));
        // Every process that lived through the whole inspection is in the report, with the same parent and command...
        for (const p of stable) {
          expect(reported.get(p.pid), `${node.name} pid ${p.pid} ${p.args}`).toMatchObject({ ppid: p.ppid, args: redactText(p.args) });
        }
        // ...and what docker never saw can only be a short-lived helper (kube-proxy's iptables-restore,
        // a probe), never a shim, a pause, a component or a container's main process.
        const unseen = node.processes.filter((p) => !anyTime.has(p.pid));
        for (const p of unseen) {
          const what = `${node.name} pid ${p.pid} ${p.args} ${JSON.stringify(p.identity)}`;
          expect(p.identity.kind === 'other' || (p.identity.kind === 'container' && !p.identity.main), what).toBe(true);
          expect(
            node.processes.some((q) => q.ppid === p.pid),
            `${what} has children`,
          ).toBe(false);
        }
        expect(unseen.length).toBeLessThanOrEqual(3);
        expect(stable.length).toBeGreaterThan(5);
      });
    });

    it('names every shim and every pause with a pod that exists in the API', async () => {
      const snapshot = await snapshotOf(getLab());
      expect(snapshot.kubernetes.error).toBeUndefined();
      const pods = snapshot.kubernetes.pods;
      let checked = 0;
      for (const node of snapshot.nodes) {
        for (const p of node.processes.filter((q) => q.identity.kind === 'shim' || q.identity.kind === 'pause')) {
          const ref = p.identity.pod;
          expect(ref, `${node.name} pid ${p.pid} ${p.identity.kind} has a pod`).toBeDefined();
          // Static pods: the API holds a mirror whose annotation carries the kubelet's pod uid.
          const match = pods.find(
            (pod) => pod.namespace === ref!.namespace && pod.name === ref!.name && (pod.uid === ref!.uid || pod.annotations[MIRROR_ANNOTATION] === ref!.uid),
          );
          expect(match, `${node.name} pid ${p.pid}: ${ref!.namespace}/${ref!.name} in the API`).toBeDefined();
          expect(match!.nodeName).toBe(node.name);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
    });

    it('counts one pause per ready pod sandbox on every node', async () => {
      const snapshot = await snapshotOf(getLab());
      for (const node of snapshot.nodes.filter((n) => n.containerd)) {
        const ready = node.containerd!.sandboxes.filter((s) => s.state === 'SANDBOX_READY');
        const pauses = node.processes.filter((p) => p.identity.kind === 'pause');
        expect(pauses.length, node.name).toBe(ready.length);
        expect(new Set(pauses.map((p) => p.identity.sandboxId))).toEqual(new Set(ready.map((s) => s.id)));
        const shims = node.processes.filter((p) => p.identity.kind === 'shim');
        expect(new Set(shims.map((p) => p.identity.sandboxId))).toEqual(new Set(ready.map((s) => s.id)));
      }
    });

    it('shows hostile pod text escaped in the html report', async () => {
      const lab = getLab();
      const core = coreApiOf(lab);
      const name = 'insp-hostile';
      const pauseImage = await sandboxImage(lab);
      await core.deleteNamespacedPod({ namespace: 'default', name, gracePeriodSeconds: 0 }).catch(() => undefined);
      await waitFor(`pod ${name} from an earlier run to be gone`, podGone(core, name));
      await core.createNamespacedPod({
        namespace: 'default',
        body: {
          metadata: { name, labels: { [LAB_LABEL]: lab.name }, annotations: { 'dev.kindlab.note': HOSTILE } },
          spec: {
            terminationGracePeriodSeconds: 0,
            tolerations: [{ operator: 'Exists' }],
            containers: [{ name: 'hostile', image: pauseImage, imagePullPolicy: 'Never', args: [HOSTILE] }],
          },
        },
      });
      try {
        await waitFor(`pod ${name} Running`, podRunning(core, name));
        const snapshot = await snapshotOf(lab);
        const html = await renderReport(snapshot, 'html', loadAnnotations('en'));
        expect(html).not.toContain(HOSTILE);
        expect(html).not.toMatch(/<script/i);
        // Both the annotation (pods table) and the container's command line (process tree) are shown, escaped.
        const escaped = '&lt;script&gt;alert(1)&lt;/script&gt;';
        expect(html.split(escaped).length - 1).toBeGreaterThanOrEqual(2);
        const browser = process.env.KINDLAB_CHROMIUM ?? '/usr/bin/chromium';
        const dir = mkdtempSync(join(tmpdir(), 'insp-html-'));
        writeFileSync(join(dir, 'report.html'), html);
        const dom = await runner.run(
          browser,
          ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--dump-dom', `file://${join(dir, 'report.html')}`],
          { timeoutMs: 60_000 },
        );
        expect(dom.stdout).not.toMatch(/<script/i);
        expect(dom.stdout).toContain(escaped);
      } finally {
        await core.deleteNamespacedPod({ namespace: 'default', name, gracePeriodSeconds: 0 }).catch(() => undefined);
      }
    });

    it('keeps a Secret in a container env and a password in its args out of --raw-dir, --out and reports, all owner-only', async () => {
      const lab = getLab();
      const core = coreApiOf(lab);
      const name = 'insp-secret';
      const fromSecret = `env-${randomBytes(8).toString('hex')}`;
      const inArgs = `arg-${randomBytes(8).toString('hex')}`;
      const pauseImage = await sandboxImage(lab);
      await core.deleteNamespacedPod({ namespace: 'default', name, gracePeriodSeconds: 0 }).catch(() => undefined);
      await core.deleteNamespacedSecret({ namespace: 'default', name }).catch(() => undefined);
      await waitFor(`pod ${name} from an earlier run to be gone`, podGone(core, name));
      await core.createNamespacedSecret({
        namespace: 'default',
        body: { metadata: { name, labels: { [LAB_LABEL]: lab.name } }, stringData: { url: fromSecret } },
      });
      await core.createNamespacedPod({
        namespace: 'default',
        body: {
          metadata: { name, labels: { [LAB_LABEL]: lab.name } },
          spec: {
            terminationGracePeriodSeconds: 0,
            tolerations: [{ operator: 'Exists' }],
            containers: [
              {
                name: 'app',
                image: pauseImage,
                imagePullPolicy: 'Never',
                args: [`--password=${inArgs}`],
                // A name that says nothing about secrets: only where the value comes from does.
                env: [{ name: 'UPSTREAM_URL', valueFrom: { secretKeyRef: { name, key: 'url' } } }],
              },
            ],
          },
        },
      });
      try {
        await waitFor(`pod ${name} Running`, podRunning(core, name));
        const dir = mkdtempSync(join(tmpdir(), 'insp-secret-'));
        const inspect = await runLab(['inspect', lab.name, '--raw-dir', join(dir, 'raw'), '--out', join(dir, 'snapshot.json')]);
        expect(inspect.exitCode, inspect.stderr).toBe(0);
        const report = await runLab(['report', lab.name, '--format', 'html', '--out', join(dir, 'report.html')]);
        expect(report.exitCode, report.stderr).toBe(0);
        const files = [join(dir, 'snapshot.json'), join(dir, 'report.html'), ...readdirSync(join(dir, 'raw')).map((f) => join(dir, 'raw', f))];
        // The raw ps output did see the container's process: the flag is there, its value is not. (The node read takes no
        // container env since it reads containerd's task directory; crictl's inspect, where a node has none, has its env redacted.)
        expect(files.some((f) => f.endsWith('.ps.txt') && readFileSync(f, 'utf8').includes('--password='))).toBe(true);
        for (const file of files) {
          const text = readFileSync(file, 'utf8');
          expect(text.includes(fromSecret) || text.includes(inArgs), file).toBe(false);
          expect(statSync(file).mode & 0o777, file).toBe(0o600);
        }
        expect(statSync(join(dir, 'raw')).mode & 0o777).toBe(0o700);
      } finally {
        await core.deleteNamespacedPod({ namespace: 'default', name, gracePeriodSeconds: 0 }).catch(() => undefined);
        await core.deleteNamespacedSecret({ namespace: 'default', name }).catch(() => undefined);
      }
    });
  });
}

/** The API through the test's kubeconfig (the one `lab up --kubeconfig` wrote). */
function coreApiOf(lab: LiveLab): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(lab.kubeconfigPath);
  if (lab.context) kc.setCurrentContext(lab.context);
  return kc.makeApiClient(CoreV1Api);
}

/** The sandbox (pause) image is in every node already, so the hostile pod needs no registry. */
async function sandboxImage(lab: LiveLab): Promise<string> {
  const snapshot = await snapshotOf(lab);
  const node = snapshot.nodes.find((n) => n.role === 'worker') ?? snapshot.nodes.find((n) => n.role === 'control-plane')!;
  const info = await runner.run('docker', ['exec', node.name, 'crictl', 'info', '-o', 'json']);
  const config = (JSON.parse(info.stdout) as { config?: { sandboxImage?: string; containerd?: { sandboxImage?: string } } }).config;
  const image = config?.sandboxImage ?? config?.containerd?.sandboxImage;
  if (!image) throw new Error(`failed to find the sandbox image in crictl info of ${node.name}`);
  return image;
}

/** Polls the API every second for up to two minutes; on timeout the error names what and the last state seen. */
function waitFor(what: string, check: () => Promise<WaitCheckResult<undefined>>): Promise<void> {
  return waitUntil(check, { what, timeoutMs: 120_000, intervalMs: 1000 });
}

/** Done once no pod of that name is listed: a new pod of the same name can be created. */
function podGone(core: CoreV1Api, name: string): () => Promise<WaitCheckResult<undefined>> {
  return async () => {
    const pods = (await core.listNamespacedPod({ namespace: 'default', fieldSelector: `metadata.name=${name}` })).items;
    return doneIf(pods.length === 0, pods.length ? `still listed, phase ${pods[0]!.status?.phase ?? 'not set'}` : 'gone');
  };
}

/** Done once the pod is Running: its container process exists, which is what inspect reads (the pod has no probe). */
function podRunning(core: CoreV1Api, name: string): () => Promise<WaitCheckResult<undefined>> {
  return async () => {
    const phase = (await core.readNamespacedPod({ namespace: 'default', name })).status?.phase;
    return doneIf(phase === 'Running', `phase ${phase ?? 'not set'}`);
  };
}
