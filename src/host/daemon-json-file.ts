import { KindlabError } from '../common/kindlab-error.js';
import type { HostFilesystem } from './host-filesystem.js';

export type DaemonConfig = Record<string, unknown>;

/** The text of daemon.json as an object; a missing or empty file is {}. */
export function parseDaemonJson(text: string | undefined, path: string): DaemonConfig {
  if (text === undefined || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new KindlabError(`failed to parse ${path}`, { cause: error, hint: `fix the JSON syntax in ${path}, then run the command again` });
  }
  if (!isObject(parsed)) throw new KindlabError(`failed to parse ${path}: it is not a JSON object`, { hint: `fix ${path}, then run the command again` });
  return parsed;
}

export function formatDaemonJson(config: DaemonConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** One line per top-level key (and runtimes entry) that differs, for --dry-run and the change list. */
export function daemonJsonDiff(before: DaemonConfig, after: DaemonConfig): string[] {
  const flat = (config: DaemonConfig): Map<string, string> => {
    const entries = new Map<string, string>();
    for (const [key, value] of Object.entries(config)) {
      if (key === 'runtimes' && isObject(value)) {
        for (const [name, runtime] of Object.entries(value)) entries.set(`runtimes.${name}`, JSON.stringify(runtime));
      } else {
        entries.set(key, JSON.stringify(value));
      }
    }
    return entries;
  };
  const [old, fresh] = [flat(before), flat(after)];
  const lines: string[] = [];
  for (const key of new Set([...old.keys(), ...fresh.keys()])) {
    const [a, b] = [old.get(key), fresh.get(key)];
    if (a === b) continue;
    lines.push(a === undefined ? `+ ${key}: ${b}` : b === undefined ? `- ${key}: ${a}` : `~ ${key}: ${a} -> ${b}`);
  }
  return lines;
}

/**
 * Replaces daemon.json the safe way: the old file is copied to `<path>.kindlab-backup-<time>`
 * readable by root only (0600), then the new text goes to a temporary file in the same directory that is
 * renamed over it (dockerd never reads half a file). Returns the backup's path, if there was a file.
 */
export async function writeDaemonJson(fs: HostFilesystem, path: string, text: string, now: Date): Promise<string | undefined> {
  const [existing, stat] = [await fs.readBytes(path), await fs.stat(path)];
  let backup: string | undefined;
  const mode = stat ? stat.mode & 0o777 : 0o644;
  try {
    if (existing) {
      // Never over an earlier backup: that one may hold the only copy of the original.
      const stamp = `${path}.kindlab-backup-${now
        .toISOString()
        .replaceAll(':', '')
        .replace(/\.\d+Z$/, 'Z')}`;
      backup = stamp;
      for (let n = 1; await fs.exists(backup); n++) backup = `${stamp}-${n}`;
      await fs.writeAtomic(backup, existing, 0o600);
    }
    await fs.writeAtomic(path, Buffer.from(text), mode);
  } catch (error) {
    throw new KindlabError(`failed to write ${path}`, { cause: error, hint: backup ? `the previous content is in ${backup}` : undefined });
  }
  return backup;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
