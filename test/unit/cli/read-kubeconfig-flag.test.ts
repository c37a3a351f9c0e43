import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { readKubeconfigFlag } from '../../../src/cli/read-kubeconfig-flag.js';

// Two labs merged into one file, as `lab up --kubeconfig <file>` leaves it (context names kind-<lab>).
const MERGED = `apiVersion: v1
kind: Config
clusters:
- {name: kind-a, cluster: {server: 'https://127.0.0.1:1'}}
- {name: kind-b, cluster: {server: 'https://127.0.0.1:2'}}
users:
- {name: kind-a, user: {}}
- {name: kind-b, user: {}}
contexts:
- {name: kind-a, context: {cluster: kind-a, user: kind-a}}
- {name: kind-b, context: {cluster: kind-b, user: kind-b}}
current-context: kind-b
`;

describe('--kubeconfig: the file that holds the lab context', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindlab-kubeconfig-flag-'));
  const file = join(dir, 'config');
  writeFileSync(file, MERGED);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const current = (text: string) => (load(text) as { 'current-context': string })['current-context'];

  it('uses kind-<lab> for a named lab, whatever the current context is', () => {
    expect(current(readKubeconfigFlag(file, undefined, 'a'))).toBe('kind-a');
  });
  it('uses --context when given, and the current context when neither is known', () => {
    expect(current(readKubeconfigFlag(file, 'kind-a', 'b'))).toBe('kind-a');
    expect(readKubeconfigFlag(file, undefined, undefined)).toBe(MERGED);
  });
  it('refuses a context the file lacks, naming the ones it has', () => {
    expect(() => readKubeconfigFlag(file, undefined, 'other')).toThrow(/invalid --kubeconfig ".*config": no context "kind-other" in it/);
    expect(() => readKubeconfigFlag(file, 'kind-c', undefined)).toThrow(/invalid --context "kind-c": no context "kind-c" in it/);
    try {
      readKubeconfigFlag(file, 'kind-c', undefined);
    } catch (error) {
      expect((error as { hint: string }).hint).toBe('pass --context with one of: kind-a, kind-b');
    }
  });
});
