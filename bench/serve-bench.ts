/**
 * `lab serve` on a running lab, read by Debian's chromium: the time from creating a Deployment (the
 * API call `kubectl create deployment` makes) to each pod's /pause drawn on the page, and what the
 * page costs the browser (JS heap, script and layout time per second) with the pods present.
 * Not part of CI. Measured 2026-11-30 on a single-node lab (2 cores shared, load ~12): the pod's
 * /pause drawn 1.71-2.12 s after the create call (3 rounds); page with 9 pod groups: 8.7 MiB JS heap,
 * 1605 DOM nodes, 0.3 % of one core for script, layout and style over 30 s.
 * Measured 2026-11-30 21:33 on a 4-node ha lab (3 control planes, 1 worker, load 3-16): one pod's /pause
 * drawn 2.83 s and 1.62 s after the create call; 60 replicas: all drawn after 45.5 s, 3.4 s before the API
 * reported all 60 ready (48.9 s: the worker's kubelet sets the pace); page with 82 pod groups: 13.9 MiB JS heap,
 * 15639 DOM nodes, 0.8 % of one core over 30 s; `lab serve` itself 78.5 MiB resident, 2.1 % of one core.
 *
 *   npm run build && node dist/bench/serve-bench.js LAB KUBECONFIG [REPLICAS=1] [ROUNDS=3]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { chromium } from 'playwright-core';
import { LAB_CLI } from './lab-cli.js';

const [lab, kubeconfig, replicasArg = '1', roundsArg = '3'] = process.argv.slice(2);
if (!lab || !kubeconfig) throw new Error('usage: node dist/bench/serve-bench.js LAB KUBECONFIG [REPLICAS] [ROUNDS]');
const replicas = Number(replicasArg);
const kc = new KubeConfig();
kc.loadFromFile(kubeconfig);
kc.setCurrentContext(`kind-${lab}`);
const apps = kc.makeApiClient(AppsV1Api);

const server = spawn(process.execPath, [LAB_CLI, 'serve', lab, '--port', '0'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve) => {
  let out = '';
  server.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const found = /http:\/\/\S+/.exec(out)?.[0];
    if (found) resolve(found);
  });
});
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
await page.goto(url);
await page.waitForSelector('[data-node] [data-kind="pause"]', { timeout: 300_000 });

const pauses = (name: string) => page.locator(`[data-pod^="default/${name}-"] [data-kind="pause"]`).count();
for (let round = 1; round <= Number(roundsArg); round++) {
  const name = `bench-serve-${round}`;
  const labels = { app: name };
  const image = 'registry.k8s.io/pause:3.10.1';
  const started = Date.now();
  await apps.createNamespacedDeployment({
    namespace: 'default',
    body: {
      metadata: { name, labels },
      spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image }] } } },
    },
  });
  // When the API says every replica is ready, next to when the page draws them: the kubelet's pace is not the page's.
  const allReady = waitFor(async () => ((await apps.readNamespacedDeployment({ namespace: 'default', name })).status?.readyReplicas ?? 0) >= replicas);
  const firstPause = await waitFor(async () => (await pauses(name)) >= 1);
  const allPauses = await waitFor(async () => (await pauses(name)) >= replicas);
  console.log(
    `round ${round}: first pause drawn after ${((firstPause - started) / 1000).toFixed(2)} s, all ${replicas} after ${((allPauses - started) / 1000).toFixed(2)} s ` +
      `(all ${replicas} ready in the API after ${(((await allReady) - started) / 1000).toFixed(2)} s)`,
  );
  if (round === Number(roundsArg)) await measurePage();
  await apps.deleteNamespacedDeployment({ namespace: 'default', name, propagationPolicy: 'Foreground', gracePeriodSeconds: 0 });
  await waitFor(async () => (await page.locator(`[data-pod^="default/${name}-"]`).count()) === 0);
}
await browser.close();
server.kill('SIGINT');

async function waitFor(condition: () => Promise<boolean>): Promise<number> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (await condition()) return Date.now();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('gave up after 300 s');
}

/** Chrome's own counters over 30 s with the page live: heap in use, and the share of a core spent on script, layout and style. */
async function measurePage(): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metric = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const before = await metric();
  const serverBefore = serverUsage();
  await new Promise((r) => setTimeout(r, 30_000));
  const after = await metric();
  const serverAfter = serverUsage();
  const busy = ['ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration'].reduce((sum, k) => sum + (after[k]! - before[k]!), 0);
  const groups = await page.locator('.pod').count();
  console.log(
    `page with ${groups} pod groups: JS heap ${(after.JSHeapUsedSize! / 2 ** 20).toFixed(1)} MiB used, ${after.Nodes} DOM nodes, ` +
      `script+layout+style ${((busy / 30) * 100).toFixed(1)} % of one core over 30 s; ` +
      `lab serve: ${(serverAfter.rssBytes / 2 ** 20).toFixed(1)} MiB resident, ${(((serverAfter.cpuSeconds - serverBefore.cpuSeconds) / 30) * 100).toFixed(1)} % of one core`,
  );
}

/** The `lab serve` process's resident memory and CPU seconds so far, from its /proc entry (Linux). */
function serverUsage(): { rssBytes: number; cpuSeconds: number } {
  const stat = readFileSync(`/proc/${server.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 (utime, stime) are indexes 11 and 12 after the command name; 100 ticks a second on Linux.
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / 100;
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0);
  return { rssBytes: rssKiB * 1024, cpuSeconds };
}
