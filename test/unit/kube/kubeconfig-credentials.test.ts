import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubeconfigCredentials, kubeconfigServer } from '../../../src/kube/kubeconfig-credentials.js';
import { FakeRunner } from '../support/fake-runner.js';

function kubeconfig(user: Record<string, unknown>, current = 'lab'): string {
  return JSON.stringify({
    'current-context': current,
    contexts: [{ name: 'lab', context: { cluster: 'c', user: 'u' } }],
    clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443/', 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'u', user }],
  });
}

describe('kubeconfigCredentials', () => {
  it("reads the current context's server and a token from its file", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindlab-token-'));
    writeFileSync(join(dir, 'token'), 'from-file\n');
    const credentials = await kubeconfigCredentials(kubeconfig({ tokenFile: join(dir, 'token') }));
    expect(credentials).toMatchObject({ server: 'https://127.0.0.1:6443', insecureSkipTlsVerify: true, authorization: 'Bearer from-file' });
    expect(kubeconfigServer(kubeconfig({}))).toBe('https://127.0.0.1:6443/');
  });

  it('runs an exec credential plugin with an argument array and its env, as kubectl does', async () => {
    // The shape `aws eks get-token` prints (client.authentication.k8s.io/v1beta1).
    const printed = JSON.stringify({
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      spec: {},
      status: { token: 'k8s-aws-v1.abc' },
    });
    const runner = new FakeRunner(() => ({ stdout: printed }));
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', 'x y'],
      env: [{ name: 'AWS_PROFILE', value: 'lab' }],
    };
    const credentials = await kubeconfigCredentials(kubeconfig({ exec }), runner);
    expect(credentials.authorization).toBe('Bearer k8s-aws-v1.abc');
    expect(runner.calls[0]?.args).toEqual(['eks', 'get-token', '--cluster-name', 'x y']);
    expect(runner.calls[0]?.options.env).toMatchObject({ AWS_PROFILE: 'lab', KUBERNETES_EXEC_INFO: expect.stringContaining('"interactive":false') });
  });

  it('names a current context the kubeconfig does not define', async () => {
    await expect(kubeconfigCredentials(kubeconfig({}, 'kind-gone'))).rejects.toThrow(
      'failed to read the kubeconfig: no context named "kind-gone" (its current-context)',
    );
  });
});
