import { KindlabError } from '../common/kindlab-error.js';

export interface DaemonJsonMerge {
  text: string;
  changed: boolean;
  /** The default runtime that was configured before, when it was not ours. */
  replacedDefaultRuntime: string | undefined;
}

/**
 * Registers `runtimeName` at `runtimePath` as Docker's default runtime in the text of
 * /etc/docker/daemon.json, keeping every other key. `existing` is undefined when there is no file.
 */
export function mergeDaemonJson(existing: string | undefined, runtimeName: string, runtimePath: string): DaemonJsonMerge {
  let config: Record<string, unknown> = {};
  if (existing !== undefined && existing.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(existing);
    } catch (error) {
      throw new KindlabError('failed to parse /etc/docker/daemon.json', {
        cause: error,
        hint: 'fix the JSON syntax in /etc/docker/daemon.json, then run `lab host prepare` again',
      });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new KindlabError('failed to parse /etc/docker/daemon.json: it is not a JSON object');
    }
    config = parsed as Record<string, unknown>;
  }
  const runtimes = isObject(config.runtimes) ? { ...config.runtimes } : {};
  const previousDefault = typeof config['default-runtime'] === 'string' ? config['default-runtime'] : undefined;
  const current = runtimes[runtimeName];
  const alreadyThere = isObject(current) && current.path === runtimePath && previousDefault === runtimeName;
  if (alreadyThere && existing !== undefined) {
    return { text: existing, changed: false, replacedDefaultRuntime: undefined };
  }
  runtimes[runtimeName] = { ...(isObject(current) ? current : {}), path: runtimePath };
  const merged = { ...config, runtimes, 'default-runtime': runtimeName };
  return {
    text: `${JSON.stringify(merged, null, 2)}\n`,
    changed: true,
    replacedDefaultRuntime: previousDefault !== undefined && previousDefault !== runtimeName ? previousDefault : undefined,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
