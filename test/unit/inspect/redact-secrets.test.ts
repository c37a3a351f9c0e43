import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactJson, redactRawOutput, redactRecord, redactText } from '../../../src/inspect/redact-secrets.js';
import { loadRawNodes, TOPOLOGIES } from '../../fixtures/load-fixtures.js';

describe('redactText', () => {
  it.each([
    ['kubeadm join --token abcdef.0123456789abcdef host:6443', 'abcdef.0123456789abcdef'],
    ['app --token=s3cr3t-value --v=2', 's3cr3t-value'],
    ['app --db-password hunter2', 'hunter2'],
    ['curl -H Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', 'eyJhbGciOiJSUzI1NiJ9'],
    ['env AWS_SECRET_ACCESS_KEY=AKIA123 app', 'AKIA123'],
    ['app --api-key=k-123', 'k-123'],
  ])('hides the secret in %s', (text, secret) => {
    const out = redactText(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it.each([
    'kube-apiserver --service-account-key-file=/etc/kubernetes/pki/sa.pub --tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
    'etcd --key-file=/etc/kubernetes/pki/etcd/server.key --peer-key-file=/etc/kubernetes/pki/etcd/peer.key',
    'kube-controller-manager --use-service-account-credentials=true --authorization-kubeconfig=/etc/kubernetes/controller-manager.conf',
    '/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf',
  ])('keeps file paths and flags intact: %s', (text) => {
    expect(redactText(text)).toBe(text);
  });

  it('redacts secret-named keys of records and secret text in other values', () => {
    expect(redactRecord({ 'example.com/token': 'x', note: 'run --password=y', plain: 'z' })).toEqual({
      'example.com/token': REDACTED,
      note: `run --password=${REDACTED}`,
      plain: 'z',
    });
  });
});

/** Recorded by test/fixtures/redact/record.sh: real processes whose argv carries secrets, as ps shows them. */
const PS_LINES = readFileSync(new URL('../../fixtures/redact/ps-secret-flags.txt', import.meta.url), 'utf8')
  .split('\n')
  .slice(2)
  .filter(Boolean);
const psLine = (command: string): string => {
  const line = PS_LINES.find((l) => l.trim().split(/\s+/)[2] === command);
  if (!line) throw new Error(`no recorded ps line for ${command}`);
  return line;
};

describe('redactText on recorded command lines', () => {
  it.each([
    ['mysql', ['hunter2'], ['-uroot', '--host db.internal', `-p${REDACTED}`]],
    ['mysqldump', ['dump-pass-1'], ['--user=backup', 'appdb']],
    ['curl', ['s3cret', 'tok-abc123'], [`-u admin:${REDACTED}`, 'limit=5', `access_token=${REDACTED}`]],
    ['aws', ['0a1b2c3d4e5f', 'AKIAEXAMPLE'], ['X-Amz-Algorithm=AWS4-HMAC-SHA256', `X-Amz-Signature=${REDACTED}`]],
    ['psql', ['pa55word'], [`postgres://app:${REDACTED}@db:5432/app?sslmode=disable`]],
    ['redis-server', ['r3dis-pass'], ['--port 6379', `--requirepass ${REDACTED}`]],
    ['webhook', ['letmein', 'wh-987'], [`--password=${REDACTED}`, '--listen=:8080', `hook?token=${REDACTED}`]],
  ])('%s: hides %j, keeps %j', (command, secrets, kept) => {
    const out = redactText(psLine(command));
    for (const secret of secrets) expect(out).not.toContain(secret);
    for (const part of kept) expect(out).toContain(part);
  });

  it('leaves -p<port> alone outside MySQL clients', () => {
    const line = psLine('docker');
    expect(redactText(line)).toBe(line);
  });

  it('changes nothing in the ps output recorded from real kind nodes', () => {
    for (const topology of TOPOLOGIES) {
      for (const node of loadRawNodes(topology)) expect(redactText(node.ps)).toBe(node.ps);
    }
  });
});

describe('redactJson and redactRawOutput', () => {
  it('hides container env values except the service-discovery ones, in both crictl shapes', () => {
    const out = redactJson({
      info: {
        config: {
          envs: [
            { key: 'DB_PASSWORD', value: 'pw-1' },
            { key: 'KUBERNETES_SERVICE_PORT', value: '443' },
            { key: 'API_URL', value: 'from-a-secret' },
          ],
        },
        runtimeSpec: { process: { env: ['PATH=/usr/bin', 'TOKEN=t-2', 'KUBE_DNS_PORT_53_UDP_ADDR=10.96.0.10'] } },
      },
    });
    const text = JSON.stringify(out);
    for (const secret of ['pw-1', 'from-a-secret', 't-2']) expect(text).not.toContain(secret);
    for (const kept of ['KUBERNETES_SERVICE_PORT', '"443"', 'PATH=/usr/bin', 'KUBE_DNS_PORT_53_UDP_ADDR=10.96.0.10', 'DB_PASSWORD'])
      expect(text).toContain(kept);
  });

  it('hides values of secret-named keys but keeps a taint or label key', () => {
    expect(redactJson({ token: 'abc', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }], args: '--password=x' })).toEqual({
      token: REDACTED,
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      args: `--password=${REDACTED}`,
    });
  });

  it('keeps recorded crictl output except env values', () => {
    const text = loadRawNodes('single')[0]!.inspect;
    const out = redactRawOutput(text);
    expect(out).toContain('"KUBERNETES_SERVICE_PORT=443"');
    expect(out).toContain('"POD_NAMESPACE=<redacted>"');
    // Only env values differ from what crictl printed.
    const outLines = out.split('\n');
    const changed = text.split('\n').filter((line, i) => line !== outLines[i]);
    expect(changed.length).toBeGreaterThan(0);
    for (const line of changed) expect(line).toMatch(/^\s+("value": |"[A-Z0-9_]+=)/);
  });
});
