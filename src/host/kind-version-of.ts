import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { CommandRunner } from '../common/command-runner.js';
import { createDebugLogger } from '../common/debug-logger.js';
import { kindlabHome } from '../common/paths.js';

const debug = createDebugLogger('kind');

/** "kind v0.30.0 go1.26.8 linux/amd64" -> "v0.30.0". */
export function parseKindVersion(output: string): string | undefined {
  return /\bkind (v\d+\.\d+\.\d+\S*)/.exec(output)?.[1];
}

interface RecordedVersion {
  /** The file's identity when `kind version` answered: any rebuild or replacement changes one of them. */
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  version: string;
}

/**
 * The version a kind binary reports, or undefined when it does not run. The answer is recorded per
 * path with the file's identity (device, inode, size, mtime), so a binary that did not change is not
 * run again: every command looks kind up, and `lab version` must start about as fast as `node -e 0`.
 * The files are read and written synchronously for the same reason: a stat or a small read takes
 * microseconds, an awaited one a thread-pool round trip, and node:fs/promises is one module more to load.
 */
export async function kindVersionOf(runner: CommandRunner, path: string): Promise<string | undefined> {
  const identity = identityOf(path);
  if (!identity) return undefined;
  const records = readRecords();
  const recorded = records[path];
  if (recorded && recorded.dev === identity.dev && recorded.ino === identity.ino && recorded.size === identity.size && recorded.mtimeMs === identity.mtimeMs) {
    return recorded.version;
  }
  const version = await runKindVersion(runner, path);
  if (version) {
    records[path] = { dev: identity.dev, ino: identity.ino, size: identity.size, mtimeMs: identity.mtimeMs, version };
    try {
      writeRecords(records);
    } catch (error) {
      debug('failed to record kind versions', (error as Error).message);
    }
  }
  return version;
}

function identityOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    // Absent or not reachable: not a candidate.
    return undefined;
  }
}

async function runKindVersion(runner: CommandRunner, path: string): Promise<string | undefined> {
  try {
    const result = await runner.run(path, ['version'], { allowFailure: true, timeoutMs: 30_000 });
    return result.exitCode === 0 ? parseKindVersion(result.stdout) : undefined;
  } catch (error) {
    // Not installed or not executable: not a candidate.
    debug(`${path} version failed`, (error as Error).message);
    return undefined;
  }
}

function recordsFile(): string {
  return join(kindlabHome(), 'kind-versions.json');
}

function readRecords(): Record<string, RecordedVersion> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(recordsFile(), 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, RecordedVersion>) : {};
  } catch {
    // Absent or unreadable: ask the binaries again.
    return {};
  }
}

function writeRecords(records: Record<string, RecordedVersion>): void {
  mkdirSync(kindlabHome(), { recursive: true });
  // Rename over the old file, so a command reading at the same moment sees the old or the new records, never half.
  const temporary = `${recordsFile()}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(records, null, 2)}\n`, { mode: 0o644 });
  renameSync(temporary, recordsFile());
}
