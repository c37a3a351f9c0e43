import type { V1Node } from '@kubernetes/client-node';
import type { ActionOutcome, NodeFact } from '../action-outcome.js';
import { formatAgeSince } from '../../common/format-age.js';
import { formatTable } from '../../common/format-table.js';
import type { TourContext } from '../tour-context.js';
import { compareText } from '../../common/compare-text.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';

export async function listNodes(ctx: TourContext): Promise<ActionOutcome> {
  const nodes = [...(await ctx.kube.listNodes())].sort((a, b) => compareText(a.metadata?.name ?? '', b.metadata?.name ?? ''));
  const now = ctx.now();
  const rows = nodes.map((n) => [
    n.metadata?.name ?? '',
    isReady(n) ? 'Ready' : 'NotReady',
    rolesOf(n).join(',') || '<none>',
    formatAgeSince(n.metadata?.creationTimestamp, now),
    n.status?.nodeInfo?.kubeletVersion ?? '',
    n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '',
    n.status?.nodeInfo?.containerRuntimeVersion ?? '',
  ]);
  const facts: NodeFact[] = nodes.map((n) => ({
    name: n.metadata?.name ?? '',
    ready: isReady(n),
    controlPlane: rolesOf(n).includes('control-plane'),
    runsWorkloads: !rolesOf(n).includes('control-plane') || !hasNoScheduleTaint(n),
  }));
  const controlPlanes = facts.filter((f) => f.controlPlane).map((f) => f.name);
  const workloadNodes = facts.filter((f) => f.runsWorkloads).map((f) => f.name);
  const { topology } = ctx;
  const roles = [
    `control plane (maintains the cluster): ${controlPlanes.join(', ') || 'none'}`,
    `run applications:                     ${workloadNodes.join(', ') || 'none'}`,
  ];
  if (topology.loadBalancer) roles.push(`load balancer in front of the api-servers (a container, not a node): ${topology.loadBalancer.name}`);
  if (topology.externalEtcd) roles.push(`etcd outside the cluster (a container, not a node): ${topology.externalEtcd.name}`);

  const workerCount = facts.filter((f) => !f.controlPlane).length;
  const findings = [
    `${nodes.length} node${nodes.length === 1 ? '' : 's'}: ${controlPlanes.length} control plane${controlPlanes.length === 1 ? '' : 's'}, ${workerCount} worker${workerCount === 1 ? '' : 's'}.`,
  ];
  const both = facts.filter((f) => f.controlPlane && f.runsWorkloads).map((f) => f.name);
  if (both.length > 0) findings.push(`${both.join(', ')} has no NoSchedule taint: the control plane also runs applications.`);
  return {
    views: {
      nodes: {
        title: 'Nodes',
        command: 'kubectl get nodes -o wide',
        body: formatTable(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'CONTAINER-RUNTIME'], rows),
      },
      roles: { title: 'Who does what', body: roles.join('\n') },
    },
    findings,
    facts: { type: 'listNodes', nodes: facts },
  };
}

function isReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function rolesOf(node: V1Node): string[] {
  return Object.keys(node.metadata?.labels ?? {})
    .filter((l) => l.startsWith(ROLE_PREFIX))
    .map((l) => l.slice(ROLE_PREFIX.length))
    .sort();
}

function hasNoScheduleTaint(node: V1Node): boolean {
  return node.spec?.taints?.some((t) => t.key === `${ROLE_PREFIX}control-plane` && t.effect === 'NoSchedule') ?? false;
}
