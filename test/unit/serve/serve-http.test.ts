import { afterEach, describe, expect, it } from 'vitest';
import { loadAnnotations } from '../../../src/report/annotations.js';
import { LabLiveFeed } from '../../../src/serve/lab-live-feed.js';
import { CONTENT_SECURITY_POLICY, startServeServer, TOKEN_COOKIE, type RunningServer } from '../../../src/serve/serve-http.js';
import { loadSnapshot } from '../../fixtures/load-fixtures.js';
import { FakeKubeApi } from '../support/fake-kube-api.js';

const TOKEN = 'test-token-0123456789';
const HOSTILE = '<img src=x onerror=alert(1)>';
let running: RunningServer | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function serve(labs: string[]): Promise<{ base: string; kube: FakeKubeApi }> {
  const kube = new FakeKubeApi();
  const snapshot = loadSnapshot('single');
  const feeds = new Map(
    labs.map((name) => [name, new LabLiveFeed({ connect: async () => kube, inspect: async () => snapshot, texts: loadAnnotations('en'), intervalMs: 60_000 })]),
  );
  running = await startServeServer({
    listen: '127.0.0.1',
    port: 0,
    token: TOKEN,
    feeds,
    index: async () =>
      labs.map((name) => ({
        name,
        shape: `single ${HOSTILE}`,
        state: 'running',
        nodes: '1/1 Ready',
        verify: { status: 'failed' as const, text: `failed 1 of 9: ${HOSTILE} · 3 min ago`, title: `failed: ${HOSTILE}` },
      })),
  });
  return { base: new URL(running.url).origin, kube };
}

const withCookie = { headers: { cookie: `${TOKEN_COOKIE}=${TOKEN}` }, redirect: 'manual' as const };

describe('lab serve over HTTP', () => {
  it('binds 127.0.0.1 and prints a URL that carries the token', async () => {
    await serve(['one']);
    expect(running!.server.address()).toMatchObject({ address: '127.0.0.1' });
    expect(running!.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/\\?token=${TOKEN}$`));
  });

  it('refuses every path without the token, and with a wrong one', async () => {
    const { base } = await serve(['one']);
    for (const path of ['/', '/lab/one', '/lab/one/events', '/assets/page.js', '/?token=wrong']) {
      const response = await fetch(`${base}${path}`, { redirect: 'manual' });
      expect(response.status, path).toBe(401);
    }
    const wrongCookie = await fetch(`${base}/lab/one`, { headers: { cookie: `${TOKEN_COOKIE}=${TOKEN}x` } });
    expect(wrongCookie.status).toBe(401);
  });

  it('moves the token from the URL into an HttpOnly SameSite=Strict cookie and redirects to the same path without it', async () => {
    const { base } = await serve(['one']);
    const response = await fetch(`${base}/lab/one?token=${TOKEN}`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/lab/one');
    expect(response.headers.get('set-cookie')).toBe(`${TOKEN_COOKIE}=${TOKEN}; HttpOnly; SameSite=Strict; Path=/`);
  });

  it('serves the page, its script, its style and elkjs under a CSP without inline script or eval', async () => {
    const { base } = await serve(['one']);
    const page = await fetch(`${base}/lab/one`, withCookie);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    const html = await page.text();
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]/);
    // page.js is compiled by `npm run build`; the e2e checks load it in a browser.
    for (const asset of ['page.css', 'elk.js']) {
      const response = await fetch(`${base}/assets/${asset}`, withCookie);
      expect(response.status, asset).toBe(200);
      expect((await response.text()).length).toBeGreaterThan(100);
    }
  });

  it('sends the lab to one page directly, and shows several labs as an index with their texts escaped', async () => {
    const one = await serve(['one']);
    const direct = await fetch(`${one.base}/`, withCookie);
    expect([direct.status, direct.headers.get('location')]).toEqual([303, '/lab/one']);
    // /labs is the index even for one lab: its health and last verify.
    const single = await (await fetch(`${one.base}/labs`, withCookie)).text();
    expect(single).toContain('<tr data-lab="one"><td><a href="/lab/one">one</a></td>');
    expect(single).toContain('<td class="verify verify-failed" title="failed: &lt;img src=x onerror=alert(1)&gt;">failed 1 of 9: &lt;img');
    expect(single).not.toContain(HOSTILE);
    await running!.close();
    const two = await serve(['one', 'two']);
    const index = await (await fetch(`${two.base}/`, withCookie)).text();
    expect(index).toContain('<a href="/lab/two">two</a>');
    expect(index).not.toContain(HOSTILE);
    expect(index).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('streams the lab as server-sent events: the controller history first, then the view', async () => {
    const { base } = await serve(['one']);
    const controller = new AbortController();
    const response = await fetch(`${base}/lab/one/events`, { ...withCookie, signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('event: view')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(text.indexOf('event: controller-history')).toBeLessThan(text.indexOf('event: view'));
    const view = JSON.parse(text.split('event: view\ndata: ')[1]!.split('\n')[0]!);
    expect(view.cluster).toBe(loadSnapshot('single').cluster);
  });

  it('answers a pod as the watch last had it, redacted and without managedFields; unknown pods are 404', async () => {
    const { base, kube } = await serve(['one']);
    const events = await fetch(`${base}/lab/one/events`, withCookie);
    const reader = events.body!.getReader();
    let text = '';
    while (!text.includes('event: view')) text += new TextDecoder().decode((await reader.read()).value);
    kube.emit({
      type: 'ADDED',
      collection: 'pods',
      object: {
        metadata: { namespace: 'default', name: 'web', uid: 'u1', managedFields: [{ manager: 'kubectl' }], annotations: { note: HOSTILE } },
        spec: {
          containers: [
            {
              name: 'c',
              image: 'nginx',
              args: ['--password=hunter2'],
              env: [
                { name: 'DB_PASS', value: 'hunter3' },
                { name: 'HOME', value: '/root' },
              ],
            },
          ],
        },
      },
    });
    const pod = (await (await fetch(`${base}/lab/one/pod/default/web`, withCookie)).json()) as any;
    expect(pod.metadata.managedFields).toBeUndefined();
    expect(pod.metadata.annotations.note).toBe(HOSTILE);
    expect(JSON.stringify(pod)).not.toMatch(/hunter2|hunter3/);
    expect(pod.spec.containers[0].env).toEqual([
      { name: 'DB_PASS', value: '<redacted>' },
      { name: 'HOME', value: '/root' },
    ]);
    expect((await fetch(`${base}/lab/one/pod/default/nope`, withCookie)).status).toBe(404);
    await reader.cancel();
  });
});
