/** The port kube-apiserver (and kind's load balancer in front of it) listens on inside the kind network. */
export const API_SERVER_PORT = 6443;

/** How Docker keys the host port kind publishes the API on (`docker inspect` NetworkSettings.Ports). */
export const API_SERVER_PORT_KEY = `${API_SERVER_PORT}/tcp`;

/**
 * The node clients reach the API through, as kind wires it: the load balancer when there is one
 * (ha), else the control plane (the only one then; pass which, e.g. the first running one).
 */
export function apiServerEntry<T extends { role: string }>(nodes: readonly T[], controlPlane = nodes.find((n) => n.role === 'control-plane')): T | undefined {
  return nodes.find((n) => n.role === 'external-load-balancer') ?? controlPlane;
}

/** `172.18.0.3:6443`: the API of a node (or the load balancer) as seen from inside the kind network. */
export function apiServerAddress(ipv4: string): string {
  return `${ipv4}:${API_SERVER_PORT}`;
}
