/** kind v0.30's haproxy load balancer reads this file (pkg/cluster/internal/loadbalancer). */
export const HAPROXY_CONFIG = '/usr/local/etc/haproxy/haproxy.cfg';

export interface LoadBalancerBackend {
  name: string;
  address: string;
}

/** The `server <name> <address> ...` lines of kind's haproxy.cfg (backend kube-apiservers). */
export function parseHaproxyBackends(config: string): LoadBalancerBackend[] {
  const backends: LoadBalancerBackend[] = [];
  for (const line of config.split('\n')) {
    const match = /^\s*server\s+(\S+)\s+(\S+)/.exec(line);
    if (match) backends.push({ name: match[1]!, address: match[2]! });
  }
  return backends;
}
