import { load, dump } from 'js-yaml';
import { UsageError } from '../common/kindlab-error.js';
import { readUserText } from '../common/read-user-file.js';

interface KubeconfigFile {
  contexts?: { name?: string }[];
  'current-context'?: string;
}

/**
 * `--kubeconfig` means the same on every command: the kubeconfig file that holds the lab's context
 * (`lab up` merges it there). Reading commands use `--context`, else `kind-<lab>` when the lab is
 * named (the context `lab up` wrote), else the file's current context; the text returned has it current.
 */
export function readKubeconfigFlag(
  path: string,
  context: string | undefined,
  lab: string | undefined,
  flags: { file: string; context: string } = { file: '--kubeconfig', context: '--context' },
): string {
  const text = readUserText(path, `${flags.file} file`, `pass an existing kubeconfig file to ${flags.file}`);
  let config: KubeconfigFile;
  try {
    config = (load(text) ?? {}) as KubeconfigFile;
  } catch (cause) {
    throw new UsageError(`invalid ${flags.file} ${JSON.stringify(path)}: not YAML`, { cause, hint: 'pass a kubeconfig file such as ~/.kube/config' });
  }
  const names = (config.contexts ?? []).map((c) => c.name).filter((n): n is string => typeof n === 'string');
  const wanted = context ?? (lab === undefined ? config['current-context'] : `kind-${lab}`);
  if (wanted === undefined || !names.includes(wanted)) {
    const flag = context === undefined ? flags.file : flags.context;
    const what = wanted === undefined ? 'no context given and the file has no current context' : `no context ${JSON.stringify(wanted)} in it`;
    throw new UsageError(`invalid ${flag} ${JSON.stringify(context ?? path)}: ${what}`, {
      hint: names.length ? `pass ${flags.context} with one of: ${names.join(', ')}` : `${path} has no contexts; \`lab up --kubeconfig ${path}\` writes one`,
    });
  }
  return wanted === config['current-context'] ? text : dump({ ...config, 'current-context': wanted });
}
