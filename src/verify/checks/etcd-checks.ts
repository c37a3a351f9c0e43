import { checkOf, fail, pass, skip, type CheckResult } from '../check-result.js';
import type { ClusterEvidence } from '../cluster-evidence.js';
import type { EtcdEndpointHealth } from '../../inspect/parse-etcdctl-output.js';
import type { Expectation } from '../expectation.js';
import { LAB_COMPONENT_LABEL } from '../../common/labels.js';
import { findComponentProcess, findSystemComponentProcess, flagValue, nodesWithRole } from './snapshot-queries.js';

export function etcdChecks(evidence: ClusterEvidence, expectation: Expectation): CheckResult[] {
  return expectation.etcd === 'stacked' ? stackedEtcdChecks(evidence) : externalEtcdChecks(evidence);
}

/** Stacked: one started, healthy member per control plane (kubeadm names each member after its node). */
function stackedEtcdChecks(evidence: ClusterEvidence): CheckResult[] {
  const controlPlanes = nodesWithRole(evidence.snapshot, 'control-plane');
  const health = evidence.etcdHealth;
  const members = evidence.etcdMembers;
  if (!health || !members) return [skip('etcd', 'etcd members', 'etcd was not queried')];
  if (!members.ok)
    return [
      fail('etcd', 'etcd members', `etcd did not list its members: ${members.error}`, members.command ? [`$ ${members.command}`] : [], { component: 'etcd' }),
    ];
  if (!health.ok)
    return [
      fail('etcd', 'etcd members', `etcd health could not be read: ${health.error}`, health.command ? [`$ ${health.command}`] : [], { component: 'etcd' }),
    ];

  const healthOf = (clientUrls: string[]): EtcdEndpointHealth | undefined => health.value.find((h) => clientUrls.includes(h.endpoint));
  const started = members.value.filter((m) => m.name !== '' && !m.isLearner);
  const healthy = started.filter((m) => healthOf(m.clientURLs)?.health === true);
  const memberLines = members.value.map((m) => {
    const h = healthOf(m.clientURLs);
    return `member ${m.id} ${m.name || '(unstarted)'} ${m.clientURLs.join(',')}: ${h ? (h.health ? 'healthy' : `unhealthy (${h.error ?? 'no answer'})`) : 'no health answer'}`;
  });
  const results: CheckResult[] = [
    checkOf(
      healthy.length === controlPlanes.length && members.value.length === controlPlanes.length,
      'etcd',
      'etcd members',
      `${healthy.length} started, healthy etcd members for ${controlPlanes.length} control planes`,
      `etcd has ${healthy.length} healthy started members of ${members.value.length}, expected ${controlPlanes.length} (one per control plane)`,
      [...(health.command ? [`$ ${health.command}`] : []), ...memberLines],
      { component: 'etcd' },
    ),
  ];
  for (const cp of controlPlanes) {
    const member = members.value.find((m) => m.name === cp.name);
    const h = member ? healthOf(member.clientURLs) : undefined;
    const name = `etcd member on ${cp.name}`;
    const extra = { node: cp.name, component: 'etcd' };
    if (!member) results.push(fail('etcd', name, `etcd has no member for control plane ${cp.name}`, memberLines, extra));
    else if (!h?.health)
      results.push(
        fail(
          'etcd',
          name,
          `etcd member ${member.name} on ${cp.name} is not healthy: ${h?.error ?? 'no answer'}`,
          [`member ${member.id} ${member.clientURLs.join(',')}`],
          extra,
        ),
      );
    else
      results.push(
        pass('etcd', name, `etcd member on ${cp.name} is started and healthy`, [`member ${member.id} ${member.clientURLs.join(',')}: healthy`], extra),
      );
  }
  return results;
}

/** External: an etcd container of the lab, no etcd static pod, and every API server pointing at it. */
function externalEtcdChecks(evidence: ClusterEvidence): CheckResult[] {
  const { snapshot } = evidence;
  const results: CheckResult[] = [];
  const etcd = nodesWithRole(snapshot, 'external-etcd')[0];
  if (!etcd) {
    return [fail('etcd', 'external etcd container', `no container labelled ${LAB_COMPONENT_LABEL}=etcd for this lab`, [], { component: 'etcd' })];
  }
  const extra = { node: etcd.name, component: 'etcd' };
  const stackedOn = nodesWithRole(snapshot, 'control-plane').filter((cp) => findSystemComponentProcess(cp, 'etcd'));
  const staticPods = snapshot.kubernetes.pods.filter((p) => p.static && p.containers.some((c) => c.name === 'etcd'));
  results.push(
    checkOf(
      etcd.container.state === 'running' && etcd.container.labels[LAB_COMPONENT_LABEL] === 'etcd' && stackedOn.length === 0 && staticPods.length === 0,
      'etcd',
      'etcd runs outside the cluster',
      `etcd runs in container ${etcd.name}, not as a static pod`,
      etcd.container.state !== 'running'
        ? `external etcd container ${etcd.name} is ${etcd.container.state}`
        : `etcd also runs inside the cluster: ${[...stackedOn.map((n) => n.name), ...staticPods.map((p) => `${p.namespace}/${p.name}`)].join(', ')}`,
      [
        `container ${etcd.name}: ${etcd.container.image}, ${etcd.container.status}, ip ${etcd.container.ipv4 ?? '?'}, ${LAB_COMPONENT_LABEL}=${etcd.container.labels[LAB_COMPONENT_LABEL] ?? '(unset)'}`,
        `etcd processes on control planes: ${stackedOn.map((n) => n.name).join(', ') || 'none'}; static etcd pods: ${staticPods.length}`,
      ],
      extra,
    ),
  );

  const health = evidence.etcdHealth;
  if (!health) results.push(skip('etcd', 'external etcd is healthy', 'etcd was not queried', extra));
  else if (!health.ok)
    results.push(
      fail(
        'etcd',
        'external etcd is healthy',
        `external etcd ${etcd.name} did not answer: ${health.error}`,
        health.command ? [`$ ${health.command}`] : [],
        extra,
      ),
    );
  else {
    const sick = health.value.filter((h) => !h.health);
    results.push(
      checkOf(
        health.value.length > 0 && sick.length === 0,
        'etcd',
        'external etcd is healthy',
        `external etcd ${etcd.name} is healthy`,
        `external etcd ${etcd.name} is not healthy: ${sick.map((h) => `${h.endpoint} ${h.error ?? ''}`).join('; ') || 'no endpoints'}`,
        [
          ...(health.command ? [`$ ${health.command}`] : []),
          ...health.value.map((h) => `${h.endpoint}: ${h.health ? 'healthy' : `unhealthy ${h.error ?? ''}`}`),
        ],
        extra,
      ),
    );
  }

  const etcdHosts = new Set([etcd.name, etcd.container.ipv4, etcd.container.ipv6].filter(Boolean) as string[]);
  for (const cp of nodesWithRole(snapshot, 'control-plane')) {
    const name = `kube-apiserver on ${cp.name} uses the external etcd`;
    const cpExtra = { node: cp.name, component: 'kube-apiserver' };
    const apiserver = findComponentProcess(cp, 'kube-apiserver');
    if (!apiserver) {
      results.push(fail('etcd', name, `kube-apiserver is not running on ${cp.name}`, [], cpExtra));
      continue;
    }
    const servers = flagValue(apiserver.args, 'etcd-servers') ?? '';
    const urls = servers.split(',').filter(Boolean);
    const foreign = urls.map((url) => hostOf(url)).filter((h) => !etcdHosts.has(h));
    // The kind network is shared by every lab on the host: without TLS any pod could read this lab's etcd.
    const plain = urls.filter((url) => !url.startsWith('https://'));
    const tls = ['etcd-cafile', 'etcd-certfile', 'etcd-keyfile'].map((flag) => `--${flag}=${flagValue(apiserver.args, flag) ?? '(unset)'}`);
    results.push(
      checkOf(
        urls.length > 0 && foreign.length === 0 && plain.length === 0,
        'etcd',
        name,
        `kube-apiserver on ${cp.name} uses ${servers} over TLS`,
        urls.length === 0
          ? `kube-apiserver on ${cp.name} has no --etcd-servers`
          : foreign.length > 0
            ? `kube-apiserver on ${cp.name} uses etcd at ${foreign.join(', ')}, not ${etcd.name}`
            : `kube-apiserver on ${cp.name} reaches etcd without TLS: ${plain.join(', ')}`,
        [`--etcd-servers=${servers}`, ...tls, `external etcd ${etcd.name} answers as ${[...etcdHosts].join(', ')}`],
        cpExtra,
      ),
    );
  }
  return results;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return url;
  }
}
