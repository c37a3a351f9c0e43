import { UsageError } from '../common/kindlab-error.js';
import type { HostedLabRecord } from '../hosted/hosted-lab-record.js';
import type { NodePathFlags } from './node-path.js';

/**
 * A hosted lab (`lab up --host-cluster`) named without --kubeconfig: its own kubeconfig from its
 * record, on the API path, since no Docker on this machine reaches its nodes. Anything else as given.
 */
export async function withHostedLab<F extends NodePathFlags>(name: string | undefined, flags: F): Promise<F & { hostedLab?: HostedLabRecord }> {
  if (!name || flags.kubeconfig) return flags;
  const { readHostedLabRecord } = await import('../hosted/hosted-lab-record.js');
  const record = readHostedLabRecord(name);
  if (!record) return flags;
  if (flags.via === 'docker')
    throw new UsageError(`invalid --via "docker": ${name} is a hosted lab, its nodes run inside pod ${record.pod} of ${record.host.server}`, {
      hint: 'drop --via: hosted labs are read through their API',
    });
  return { ...flags, kubeconfig: record.kubeconfig, via: 'api', hostedLab: record };
}
