import { dump } from 'js-yaml';
import { renderKindConfig } from '../topology/render-kind-config.js';
import type { TopologySpec } from '../topology/topology-spec.js';
import { HOSTED_API_PORT } from './hosted-lab-manifests.js';

/**
 * The lab's kind config as `lab up` renders it, changed for life inside a pod: the API listens on
 * every address of the pod at a fixed port (the Service's target), and its certificate also names
 * the host nodes' addresses, since that is where this machine and the participants reach it
 * (kind#2680: a remote Docker needs these two by hand).
 */
export function renderHostedKindConfig(
  spec: Pick<TopologySpec, 'kind' | 'name' | 'controlPlanes' | 'workers' | 'etcd' | 'ports' | 'profile'>,
  hostAddresses: readonly string[],
): string {
  const { config, template } = renderKindConfig(spec);
  const sans = dump({ kind: 'ClusterConfiguration', apiServer: { certSANs: [...hostAddresses] } }, { lineWidth: -1 });
  const hosted = {
    ...config,
    networking: { ...config.networking, apiServerAddress: '0.0.0.0', apiServerPort: HOSTED_API_PORT },
    kubeadmConfigPatches: [...(config.kubeadmConfigPatches ?? []), sans],
  };
  return `# rendered by kindlab from templates/${template} for a hosted lab\n${dump(hosted, { lineWidth: -1, noRefs: true, sortKeys: false })}`;
}
