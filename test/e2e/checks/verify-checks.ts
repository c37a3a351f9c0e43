import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChildProcessCommandRunner } from '../../../src/common/child-process-command-runner.js';
import { projectRoot } from '../../../src/common/paths.js';
import { doneIf, waitUntil } from '../../../src/common/wait-until.js';
import { defaultInspectDependencies } from '../../../src/inspect/default-inspect-dependencies.js';
import { inspectCluster } from '../../../src/inspect/inspect-cluster.js';
import type { Snapshot } from '../../../src/inspect/snapshot.js';
import type { CheckResult, VerifyReport } from '../../../src/verify/check-result.js';
import { defaultVerifyDependencies } from '../../../src/verify/default-verify-dependencies.js';
import { renderVerifyText } from '../../../src/verify/render-text.js';
import { verifyCluster } from '../../../src/verify/verify-cluster.js';
import type { LiveLab } from '../support/live-lab.js';

const runner = new ChildProcessCommandRunner();
const MANIFESTS = '/etc/kubernetes/manifests';
/** Outside the manifests directory, so the kubelet stops the static pod; put back to repair. */
const PARKED = '/etc/kubernetes';

/** The built-in expectation for the topology the lab was created as; inferred when the lab does not say. */
function expectationFor(lab: LiveLab): string | undefined {
  if (!lab.topology) return undefined;
  if (lab.etcd !== 'external') return lab.topology;
  // The `external` built-in is multi with external etcd; single and ha with external etcd have no
  // built-in and are taken from the lab's record (src/verify/infer-expectation.ts).
  return lab.topology === 'multi' ? 'external' : undefined;
}

/**
 * How long probe pods may take while a fault is in place. They are not what those tests look at, and a
 * fault can keep them from ever starting (no scheduler to place them, a stopped node the API still
 * calls Ready): with the healthy lab's 60 s, each such verify waited out its probes (98 s for the
 * scheduler test in CI).
 */
const BROKEN_PROBE_TIMEOUT_MS = 10_000;

async function verify(lab: LiveLab, probeTimeoutMs = 60_000): Promise<VerifyReport> {
  const expectation = expectationFor(lab);
  return verifyCluster(defaultVerifyDependencies(), { cluster: lab.name, probeTimeoutMs, ...(expectation ? { expect: expectation } : {}) });
}

function failing(report: VerifyReport): CheckResult[] {
  return report.checks.filter((c) => c.status === 'fail');
}

/** Repairs take a while to show (static pod restarts, node Ready again): verify until it passes. */
async function verifyUntilPassing(lab: LiveLab, timeoutMs: number): Promise<VerifyReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await verify(lab);
    if (report.passed || Date.now() > deadline) return report;
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
}

async function nodesOf(lab: LiveLab): Promise<Snapshot['nodes']> {
  return (await inspectCluster(defaultInspectDependencies(), { cluster: lab.name })).nodes;
}

async function criContainers(node: string, name: string): Promise<string[]> {
  const result = await runner.run('docker', ['exec', node, 'crictl', 'ps', '--name', `^${name}$`, '-q']);
  return result.stdout.split('\n').filter(Boolean);
}

/** Polls crictl every 2 s until `component`'s running containers on `node` are counted as wanted; on timeout, the ids last seen. */
function waitForContainers(node: string, component: string, wanted: 'none' | 'some', timeoutMs: number): Promise<void> {
  return waitUntil(
    async () => {
      const ids = await criContainers(node, component);
      return doneIf(wanted === 'none' ? ids.length === 0 : ids.length > 0, ids.length ? `running: ${ids.join(' ')}` : 'none running');
    },
    { what: `${component} ${wanted === 'none' ? 'to stop' : 'to run again'} on ${node}`, timeoutMs, intervalMs: 2000 },
  );
}

/** Moves a static pod manifest away, waits until its container is gone, runs `body`, and always puts it back. */
async function withStaticPodStopped(node: string, component: string, body: () => Promise<void>): Promise<void> {
  const manifest = `${MANIFESTS}/${component}.yaml`;
  const parked = `${PARKED}/${component}.yaml.verify-parked`;
  await runner.run('docker', ['exec', node, 'mv', manifest, parked]);
  try {
    await waitForContainers(node, component, 'none', 120_000);
    await body();
  } finally {
    await runner.run('docker', ['exec', node, 'mv', parked, manifest]);
  }
  await waitForContainers(node, component, 'some', 180_000);
}

function cli(args: string[]) {
  const main = join(projectRoot(), 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(main)) throw new Error('run `npm run build` before the e2e tests (the CLI is exercised from dist/)');
  return runner.run('node', [main, ...args], { allowFailure: true, timeoutMs: 5 * 60_000 });
}

/**
 * `lab verify <lab>` with no --expect: the expectation is the shape `lab up` recorded for the lab
 * (src/verify/infer-expectation.ts), so a healthy lab of any topology passes. One verify run.
 */
export function registerVerifyWithoutExpectCheck(getLab: () => LiveLab): void {
  it('lab verify <lab> with no --expect passes (exit 0), against the shape lab up recorded', async () => {
    const lab = getLab();
    const t0 = Date.now();
    const result = await cli(['verify', lab.name, '--format', 'json']);
    console.log(`lab verify ${lab.name} without --expect: ${((Date.now() - t0) / 1000).toFixed(0)}s, exit ${result.exitCode}`);
    let report: VerifyReport | undefined;
    try {
      report = JSON.parse(result.stdout) as VerifyReport;
    } catch {
      // Not a report: the exit code check below shows stderr.
    }
    expect(result.exitCode, `${result.stderr}\n${report ? renderVerifyText(report) : result.stdout}`).toBe(0);
    expect(report!.expectation.source).toBe(`the lab's record (lab up ${lab.topology}${lab.etcd === 'external' ? ' --etcd external' : ''})`);
    expect(report!.expectation.description).toContain(`${lab.controlPlanes} control plane`);
  });
}

/** Faults to inject; each costs minutes of break-and-repair, so every topology gets only the ones that apply. */
export interface VerifyCheckOptions {
  faults?: Array<'scheduler' | 'worker' | 'etcd-member'>;
}

export function registerVerifyChecks(getLab: () => LiveLab, options: VerifyCheckOptions = {}): void {
  const faults = new Set(options.faults ?? []);
  describe('lab verify', () => {
    it('passes on the healthy cluster, through the CLI too (exit 0, JUnit without failures)', async () => {
      const lab = getLab();
      const report = await verifyUntilPassing(lab, 120_000);
      expect(failing(report), renderVerifyText(report)).toEqual([]);
      expect(report.checks.filter((c) => c.status === 'pass').length).toBeGreaterThan(10);

      const out = join(mkdtempSync(join(tmpdir(), 'verify-e2e-')), 'junit.xml');
      const expectation = expectationFor(lab);
      const evidence = join(dirname(out), 'evidence.json');
      const result = await cli([
        'verify',
        lab.name,
        ...(expectation ? ['--expect', expectation] : []),
        '--format',
        'junit',
        '--out',
        out,
        '--evidence-out',
        evidence,
      ]);
      expect(result.exitCode, result.stderr).toBe(0);
      // Results and evidence may describe Secrets: owner-only.
      expect(statSync(out).mode & 0o777).toBe(0o600);
      expect(statSync(evidence).mode & 0o777).toBe(0o600);
      const xml = readFileSync(out, 'utf8');
      expect(xml).toMatch(/<testsuites name="lab verify [^"]+" tests="\d+" failures="0"/);
      expect(xml).toContain('<testsuite name="control-plane"');
    });

    it('two lab verify on the same lab at once both pass and leave no probe object', async () => {
      const lab = getLab();
      const expectation = expectationFor(lab);
      const args = ['verify', lab.name, ...(expectation ? ['--expect', expectation] : []), '--format', 'json'];
      const controlPlane = lab.controlPlaneContainers[0]!;
      const selector = `dev.kindlab.lab=${lab.name},dev.kindlab.component=verify`;
      const probeObjects = async () =>
        (
          await runner.run('docker', [
            'exec',
            controlPlane,
            'kubectl',
            'get',
            'pods,services',
            '--namespace',
            'default',
            '--selector',
            selector,
            '--output',
            'name',
          ])
        ).stdout
          .split('\n')
          .filter(Boolean);
      // Watch while both run: how many runs had probe objects at the same moment (reported, not asserted: timing).
      let done = false;
      let mostRunsAtOnce = 0;
      const watch = (async () => {
        while (!done) {
          const runs = await runner.run(
            'docker',
            [
              'exec',
              controlPlane,
              'kubectl',
              'get',
              'pods',
              '--namespace',
              'default',
              '--selector',
              selector,
              '--output',
              `jsonpath={range .items[*]}{.metadata.labels.dev\\.kindlab\\.run}{"\\n"}{end}`,
            ],
            { allowFailure: true },
          );
          mostRunsAtOnce = Math.max(mostRunsAtOnce, new Set(runs.stdout.split('\n').filter(Boolean)).size);
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      })();
      const t0 = Date.now();
      const [first, second] = await Promise.all([cli(args), cli(args)]).finally(() => (done = true));
      await watch;
      console.log(`two verify at once: ${((Date.now() - t0) / 1000).toFixed(0)}s, probe objects of ${mostRunsAtOnce} run(s) seen at the same moment`);
      for (const result of [first, second]) {
        const report = JSON.parse(result.stdout) as VerifyReport;
        expect(result.exitCode, `${result.stderr}\n${renderVerifyText(report)}`).toBe(0);
        expect(report.passed).toBe(true);
      }
      expect(await probeObjects()).toEqual([]);
    });

    if (faults.has('scheduler'))
      it('fails naming kube-scheduler and its node when the scheduler stops, and passes after repair', async () => {
        const lab = getLab();
        const cp = (await nodesOf(lab)).find((n) => n.role === 'control-plane')!;
        await withStaticPodStopped(cp.name, 'kube-scheduler', async () => {
          const report = await verify(lab, BROKEN_PROBE_TIMEOUT_MS);
          const broken = failing(report).find((c) => c.component === 'kube-scheduler' && c.node === cp.name);
          expect(broken, renderVerifyText(report)).toBeDefined();
          expect(broken!.summary).toContain('kube-scheduler');
          expect(broken!.summary).toContain(cp.name);

          const result = await cli(['verify', lab.name, '--format', 'text', '--probe-timeout', `${BROKEN_PROBE_TIMEOUT_MS / 1000}s`]);
          expect(result.exitCode).toBe(1);
          expect(result.stdout).toMatch(new RegExp(`FAIL  kube-scheduler on ${cp.name}`));
        });
        const repaired = await verifyUntilPassing(lab, 180_000);
        expect(failing(repaired), renderVerifyText(repaired)).toEqual([]);
      });

    if (faults.has('worker'))
      it('fails naming the worker when its node container stops, and passes once it is Ready again', async (context) => {
        const lab = getLab();
        const worker = (await nodesOf(lab)).filter((n) => n.role === 'worker').at(-1);
        if (!worker) return context.skip('single has no worker to stop');
        await runner.run('docker', ['stop', worker.name]);
        try {
          const report = await verify(lab, BROKEN_PROBE_TIMEOUT_MS);
          const broken = failing(report).filter((c) => c.node === worker.name);
          expect(broken.length, renderVerifyText(report)).toBeGreaterThan(0);
          expect(broken.find((c) => c.group === 'nodes')?.summary).toContain(worker.name);
        } finally {
          await runner.run('docker', ['start', worker.name]);
        }
        const repaired = await verifyUntilPassing(lab, 240_000);
        expect(failing(repaired), renderVerifyText(repaired)).toEqual([]);
      });

    if (faults.has('etcd-member'))
      it('ha: fails naming etcd when one member stops, and passes after repair', async (context) => {
        const lab = getLab();
        const controlPlanes = (await nodesOf(lab)).filter((n) => n.role === 'control-plane');
        if (lab.etcd === 'external' || controlPlanes.length < 3) return context.skip('needs stacked etcd on 3 or more control planes');
        const victim = controlPlanes.at(-1)!;
        await withStaticPodStopped(victim.name, 'etcd', async () => {
          const report = await verify(lab, BROKEN_PROBE_TIMEOUT_MS);
          const broken = failing(report).filter((c) => c.component === 'etcd');
          expect(broken.length, renderVerifyText(report)).toBeGreaterThan(0);
          expect(broken.some((c) => c.node === victim.name && c.summary.includes('etcd') && c.summary.includes(victim.name))).toBe(true);
        });
        const repaired = await verifyUntilPassing(lab, 240_000);
        expect(failing(repaired), renderVerifyText(repaired)).toEqual([]);
      });
  });
}
