import { describe, expect, it } from 'vitest';
import { REDACTED, redactRecord, redactText } from '../../../src/inspect/redact-secrets.js';

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
