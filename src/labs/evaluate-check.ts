import type { ActionFacts, ObservedEvent } from './action-outcome.js';
import { isApiServerPeer } from './classify-peer.js';
import type { CheckSpec } from './tour-lab.js';

export interface CheckResult {
  /** Short, stable name for logs and CI output, e.g. "processRoles(kubelet, containerd)". */
  name: string;
  passed: boolean;
  detail: string;
}

/** `cni` stands for whichever CNI daemon the cluster runs. */
const ROLE_ALIASES: Record<string, string[]> = { cni: ['kindnetd', 'flanneld', 'calico-node', 'cilium-agent'] };

export function checkName(check: CheckSpec): string {
  const params = Object.entries(check)
    .filter(([key]) => key !== 'type')
    .map(([, value]) => (Array.isArray(value) ? value.join(', ') : String(value)));
  return params.length > 0 ? `${check.type}(${params.join('; ')})` : check.type;
}

/** Checks read only the typed facts of the step's own action; validation made sure they match. */
export function evaluateCheck(check: CheckSpec, facts: ActionFacts): CheckResult {
  const name = checkName(check);
  const result = (passed: boolean, detail: string): CheckResult => ({ name, passed, detail });
  const mismatch = (): CheckResult => result(false, `check ${check.type} cannot read the result of ${facts.type}`);

  switch (check.type) {
    case 'nodesReady': {
      if (facts.type !== 'listNodes') return mismatch();
      const notReady = facts.nodes.filter((n) => !n.ready).map((n) => n.name);
      if (facts.nodes.length === 0) return result(false, 'the API lists no nodes');
      return result(notReady.length === 0, notReady.length === 0 ? `${facts.nodes.length} node(s) Ready` : `not Ready: ${notReady.join(', ')}`);
    }
    case 'roleCount': {
      if (facts.type !== 'listNodes') return mismatch();
      const nodes = facts.nodes.filter((n) => (check.role === 'control-plane' ? n.controlPlane : n.runsWorkloads));
      return result(
        nodes.length >= check.min,
        `${nodes.length} node(s) in role ${check.role} (${nodes.map((n) => n.name).join(', ') || 'none'}), need ${check.min}`,
      );
    }
    case 'processRoles': {
      if (facts.type !== 'showProcessTree') return mismatch();
      const missing = check.roles.filter((role) => !(ROLE_ALIASES[role] ?? [role]).some((r) => facts.components.includes(r)));
      return result(
        missing.length === 0,
        missing.length === 0
          ? `${facts.node} runs ${check.roles.join(', ')}`
          : `${facts.node} has no ${missing.join(', ')} (found: ${facts.components.join(', ')})`,
      );
    }
    case 'talksOnlyToApiServer': {
      if (facts.type !== 'controlPlaneWiring') return mismatch();
      const problems: string[] = [];
      for (const component of check.components) {
        const entries = facts.wiring.filter((w) => w.component === component);
        if (entries.length === 0) problems.push(`no ${component} found`);
        for (const entry of entries) {
          if (entry.outbound.length === 0) problems.push(`${component} on ${entry.node} holds no connection`);
          const others = entry.outbound.filter((c) => !isApiServerPeer(c.peerRole));
          if (others.length > 0) problems.push(`${component} on ${entry.node} also talks to ${others.map((o) => `${o.peer} (${o.peerRole})`).join(', ')}`);
        }
      }
      return result(
        problems.length === 0,
        problems.length === 0 ? `${check.components.join(', ')}: every connection goes to the api-server` : problems.join('; '),
      );
    }
    case 'apiServerUsesEtcd': {
      if (facts.type !== 'controlPlaneWiring') return mismatch();
      const ok = facts.etcdServers.length > 0 && facts.apiServerToEtcd.length > 0;
      return result(ok, `--etcd-servers=${facts.etcdServers.join(',') || '(none)'}, ${facts.apiServerToEtcd.length} connection(s) to etcd`);
    }
    case 'objectCreated': {
      if (facts.type !== 'createConfigMap' && facts.type !== 'createPod' && facts.type !== 'createDeployment') return mismatch();
      return result(facts.created.length > 0, `created ${facts.created.join(', ') || 'nothing'}`);
    }
    case 'etcdValueContains': {
      if (facts.type !== 'readEtcdKey') return mismatch();
      if (!facts.found) return result(false, `no key ${facts.key} in etcd`);
      const ok = facts.printableValue.includes(check.text);
      return result(ok, ok ? `${facts.key} holds "${check.text}"` : `${facts.key} does not contain "${check.text}"`);
    }
    case 'podScheduled': {
      if (facts.type !== 'createPod') return mismatch();
      return result(facts.node !== undefined, facts.node ? `scheduled to ${facts.node}` : 'no node assigned');
    }
    case 'eventSeen': {
      if (facts.type !== 'createPod' && facts.type !== 'createDeployment' && facts.type !== 'deletePod') return mismatch();
      const seen = facts.events.find((e: ObservedEvent) => e.reason === check.reason && e.component === check.component);
      return result(
        seen !== undefined,
        seen ? `${seen.component}: ${seen.reason} ${seen.message}` : `no ${check.reason} event from ${check.component} (saw: ${summarizeEvents(facts.events)})`,
      );
    }
    case 'replicasReady': {
      if (facts.type !== 'createDeployment' && facts.type !== 'deletePod') return mismatch();
      return result(facts.ready >= facts.desired, `${facts.ready}/${facts.desired} ready`);
    }
    case 'podReplaced': {
      if (facts.type !== 'deletePod') return mismatch();
      return result(
        facts.replacements.length > 0,
        facts.replacements.length > 0 ? `${facts.deleted} replaced by ${facts.replacements.join(', ')}` : `${facts.deleted} was not replaced`,
      );
    }
    case 'kubeletConnected': {
      if (facts.type !== 'kubeletConnections') return mismatch();
      const missing = facts.nodes.filter((n) => !n.connections.some((c) => c.process === 'kubelet' && isApiServerPeer(c.peerRole))).map((n) => n.node);
      if (facts.nodes.length === 0) return result(false, 'no running nodes');
      return result(
        missing.length === 0,
        missing.length === 0
          ? `every kubelet (${facts.nodes.length}) holds a connection to the api-server`
          : `no api-server connection from the kubelet on ${missing.join(', ')}`,
      );
    }
    case 'logsReturned': {
      if (facts.type !== 'podLogs') return mismatch();
      return result(facts.lines.length > 0, `${facts.lines.length} line(s) of ${facts.pod} via the kubelet on ${facts.node}`);
    }
    case 'topologyPlaced': {
      if (facts.type !== 'scaleTable') return mismatch();
      return result(facts.row !== undefined, facts.row ? `this cluster is "${facts.row}"` : 'this cluster matches no row');
    }
  }
}

function summarizeEvents(events: readonly ObservedEvent[]): string {
  return [...new Set(events.map((e) => `${e.component}/${e.reason}`))].join(', ') || 'none';
}
