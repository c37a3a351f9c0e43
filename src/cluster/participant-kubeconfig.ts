import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { KindlabError } from '../common/kindlab-error.js';
import { kindlabHome } from '../common/paths.js';
import { makePrivateDirectory, writePrivateFile } from '../common/write-private-file.js';

interface Kubeconfig {
  clusters?: Array<{ name: string }>;
  users?: Array<{ name: string }>;
  contexts?: Array<{ name: string; context: { cluster: string; user: string } }>;
  'current-context'?: string;
}

/** Where `lab claim NAME` writes the participant's kubeconfig: kindlab's own directory, 0700. */
export function participantKubeconfigDir(): string {
  return join(kindlabHome(), 'kubeconfigs');
}

export function participantKubeconfigPath(participant: string): string {
  return join(participantKubeconfigDir(), `${participant}.kubeconfig`);
}

/**
 * The lab's kubeconfig (a control plane's admin.conf, or what `kind get kubeconfig` prints: one cluster, user and context) with
 * all three named after the participant, so `kubectl --kubeconfig <file>` and a merged `--context
 * alice` both read as theirs. Pure: the caller writes it.
 */
export function renameKubeconfig(text: string, participant: string): string {
  const config = load(text) as Kubeconfig;
  if (config?.clusters?.length !== 1 || config.users?.length !== 1 || config.contexts?.length !== 1) {
    throw new KindlabError('failed to rename the lab kubeconfig: expected exactly one cluster, user and context (as kind writes it)');
  }
  config.clusters[0]!.name = participant;
  config.users[0]!.name = participant;
  config.contexts[0] = { ...config.contexts[0]!, name: participant, context: { ...config.contexts[0]!.context, cluster: participant, user: participant } };
  config['current-context'] = participant;
  return dump(config, { lineWidth: -1 });
}

/** Writes the participant's kubeconfig, 0600 in a 0700 directory (it holds the lab's admin credentials). */
export function writeParticipantKubeconfig(labKubeconfig: string, participant: string): string {
  const path = participantKubeconfigPath(participant);
  makePrivateDirectory(participantKubeconfigDir());
  writePrivateFile(path, renameKubeconfig(labKubeconfig, participant));
  return path;
}
