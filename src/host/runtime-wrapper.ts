import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { CommandRunner } from '../common/command-runner.js';
import { KindlabError } from '../common/kindlab-error.js';
import type { HostFilesystem } from './host-filesystem.js';

/** The runtime name in daemon.json and where the binary is installed. */
export const RUNTIME_WRAPPER_NAME = 'kindlab-runc';
export const RUNTIME_WRAPPER_PATH = '/usr/local/bin/kindlab-runc';
/** Our own Go source, relative to the project root. */
export const RUNTIME_WRAPPER_SOURCE = join('images', 'runtime-capfilter');

export interface BuiltRuntimeWrapper {
  path: string;
  sourceHash: string;
  built: boolean;
}

/** sha256 over the wrapper's sources (tests excluded: they do not change the binary). */
export async function runtimeWrapperSourceHash(fs: HostFilesystem, sourceDir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await fs.readTree(sourceDir)) {
    if (file.path.endsWith('_test.go')) continue;
    hash.update(`${file.path}\0${file.bytes.length}\0`).update(file.bytes);
  }
  return hash.digest('hex');
}

/** Builds the wrapper into binDir, once per source hash. */
export async function buildRuntimeWrapper(
  runner: CommandRunner,
  fs: HostFilesystem,
  paths: { sourceDir: string; binDir: string },
): Promise<BuiltRuntimeWrapper> {
  const sourceHash = await runtimeWrapperSourceHash(fs, paths.sourceDir);
  const output = join(paths.binDir, `${RUNTIME_WRAPPER_NAME}-${sourceHash.slice(0, 16)}`);
  if (await fs.exists(output)) return { path: output, sourceHash, built: false };
  try {
    await runner.run('go', ['build', '-trimpath', '-buildvcs=false', '-ldflags=-s -w', '-o', output, '.'], {
      cwd: paths.sourceDir,
      env: { CGO_ENABLED: '0', GOTOOLCHAIN: 'local' },
      timeoutMs: 5 * 60_000,
    });
  } catch (error) {
    throw new KindlabError('failed to build the runtime wrapper (kindlab-runc)', {
      cause: error,
      hint: 'it needs Go (Debian golang-go or a Go toolchain on PATH)',
    });
  }
  return { path: output, sourceHash, built: true };
}

/** Copies the build over the installed wrapper when they differ; true when it did. */
export async function installRuntimeWrapper(fs: HostFilesystem, built: BuiltRuntimeWrapper): Promise<boolean> {
  const [installed, fresh] = await Promise.all([fs.readBytes(RUNTIME_WRAPPER_PATH), fs.readBytes(built.path)]);
  if (!fresh) throw new KindlabError(`failed to read the built runtime wrapper ${built.path}`);
  if (installed?.equals(fresh)) return false;
  await fs.installExecutable(built.path, RUNTIME_WRAPPER_PATH);
  return true;
}
