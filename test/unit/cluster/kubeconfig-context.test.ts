import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { contextFingerprint, removeKubeconfigContext } from '../../../src/cluster/kubeconfig-context.js';

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
});
