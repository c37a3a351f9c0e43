import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { checkKubeconfigContext, contextFingerprint, mergeKubeconfigContext, removeKubeconfigContext } from '../../../src/cluster/kubeconfig-context.js';

// The shape kind v0.30.0 writes (`kind create cluster --name demo --kubeconfig <file>`), credentials elided.
const kubeconfig = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: REDACTED
    server: https://127.0.0.1:40123
  name: kind-demo
- cluster:
    server: https://127.0.0.1:40999
  name: kind-other
contexts:
- context:
    cluster: kind-demo
    user: kind-demo
  name: kind-demo
- context:
    cluster: kind-other
    user: kind-other
  name: kind-other
current-context: kind-demo
kind: Config
preferences: {}
users:
- name: kind-demo
  user:
    client-certificate-data: REDACTED
- name: kind-other
  user:
    client-certificate-data: REDACTED
`;

describe('kubeconfig context', () => {
  it('fingerprints a context by its cluster and server', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kindlab-kc-')), 'config');
    expect(contextFingerprint(path, 'kind-demo')).toBeUndefined();
    writeFileSync(path, kubeconfig);
    expect(contextFingerprint(path, 'kind-demo')).toBe('kind-demo https://127.0.0.1:40123');
    expect(contextFingerprint(path, 'kind-nope')).toBeUndefined();
  });

  it('removes one context with its cluster and user, keeps the others, clears current-context, writes 0600', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kindlab-kc-')), 'config');
    writeFileSync(path, kubeconfig, { mode: 0o644 });
    expect(await removeKubeconfigContext(path, 'kind-demo')).toBe(true);
    const doc = load(readFileSync(path, 'utf8')) as Record<string, Array<{ name: string }>>;
    expect(doc.contexts!.map((c) => c.name)).toEqual(['kind-other']);
    expect(doc.clusters!.map((c) => c.name)).toEqual(['kind-other']);
    expect(doc.users!.map((c) => c.name)).toEqual(['kind-other']);
    expect(doc['current-context']).toBe('');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(existsSync(`${path}.lock`)).toBe(false);
    expect(await removeKubeconfigContext(path, 'kind-demo')).toBe(false);
  });

  it('waits while another writer (kind, kubectl) holds <file>.lock', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kindlab-kc-')), 'config');
    writeFileSync(path, kubeconfig);
    writeFileSync(`${path}.lock`, '');
    const started = removeKubeconfigContext(path, 'kind-demo');
    await new Promise((r) => setTimeout(r, 500));
    expect(readFileSync(path, 'utf8')).toContain('kind-demo');
    rmSync(`${path}.lock`);
    expect(await started).toBe(true);
    expect(readFileSync(path, 'utf8')).not.toContain('kind-demo');
  });

  it('checks the lab context under the lock: waits for a writer, fixes the mode to 0600, fails on a missing context', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kindlab-kc-')), 'config');
    writeFileSync(path, kubeconfig, { mode: 0o644 });
    writeFileSync(`${path}.lock`, '');
    let settled = false;
    const started = checkKubeconfigContext(path, 'kind-demo', new AbortController().signal).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 500));
    expect(settled).toBe(false);
    rmSync(`${path}.lock`);
    expect(await started).toEqual({ currentContext: 'kind-demo', fixedMode: 0o644 });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(existsSync(`${path}.lock`)).toBe(false);
    expect(await checkKubeconfigContext(path, 'kind-demo', new AbortController().signal)).toEqual({ currentContext: 'kind-demo' });
    await expect(checkKubeconfigContext(path, 'kind-nope', new AbortController().signal)).rejects.toThrow(
      `failed to find context kind-nope in ${path} after kind create`,
    );
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it("stops waiting for the lock on Ctrl-C and leaves the other writer's lock alone", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kindlab-kc-')), 'config');
    writeFileSync(path, kubeconfig);
    writeFileSync(`${path}.lock`, '');
    const controller = new AbortController();
    const started = checkKubeconfigContext(path, 'kind-demo', controller.signal);
    setTimeout(() => controller.abort('SIGINT'), 300);
    const t0 = Date.now();
    await expect(started).rejects.toMatchObject({ message: `failed to lock kubeconfig ${path}`, cause: 'SIGINT' });
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(existsSync(`${path}.lock`)).toBe(true);
  });

  it("merges a lab's one-context kubeconfig: same names replaced, the rest kept, its context current, 0600", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kindlab-kc-')), 'config');
    writeFileSync(path, kubeconfig, { mode: 0o644 });
    const lab = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: REDACTED
    server: https://172.18.0.3:31234
  name: kind-demo
contexts:
- context:
    cluster: kind-demo
    user: kind-demo
  name: kind-demo
current-context: kind-demo
kind: Config
users:
- name: kind-demo
  user:
    client-certificate-data: REDACTED
`;
    await mergeKubeconfigContext(path, lab);
    const doc = load(readFileSync(path, 'utf8')) as {
      clusters: Array<{ name: string; cluster: { server: string } }>;
      contexts: Array<{ name: string }>;
      users: Array<{ name: string }>;
      'current-context': string;
    };
    expect(doc.clusters.map((c) => `${c.name} ${c.cluster.server}`)).toEqual(['kind-other https://127.0.0.1:40999', 'kind-demo https://172.18.0.3:31234']);
    expect(doc.contexts.map((c) => c.name)).toEqual(['kind-other', 'kind-demo']);
    expect(doc.users.map((c) => c.name)).toEqual(['kind-other', 'kind-demo']);
    expect(doc['current-context']).toBe('kind-demo');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // Into a file that does not exist yet: created with just the lab.
    const fresh = join(mkdtempSync(join(tmpdir(), 'kindlab-kc-')), 'config');
    await mergeKubeconfigContext(fresh, lab);
    expect(contextFingerprint(fresh, 'kind-demo')).toBe('kind-demo https://172.18.0.3:31234');
  });
});
