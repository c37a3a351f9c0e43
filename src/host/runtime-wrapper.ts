import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { CommandRunner } from '../common/command-runner.js';
import { KindlabError } from '../common/kindlab-error.js';
import { assertRootOwnedDir } from './assert-root-owned-dir.js';
import type { HostFilesystem } from './host-filesystem.js';

/** The runtime name in daemon.json. */
export const RUNTIME_WRAPPER_NAME = 'kindlab-runc';
/** Our own Go source, relative to the project root. */
export const RUNTIME_WRAPPER_SOURCE = join('images', 'runtime-capfilter');

export interface BuiltRuntimeWrapper {
  path: string;
  sourceHash: string;
  /** The binary as read once after the build: what gets installed, never re-read from disk. */
  bytes: Buffer;
  sha256: string;
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

/**
 * Builds the wrapper into buildDir, once per source hash. As root, buildDir (and Go's build
 * cache inside it) must be a root-owned directory no one else can write, so nobody can swap
 * the binary between the build and the install.
 */
export async function buildRuntimeWrapper(
  runner: CommandRunner,
  fs: HostFilesystem,
  paths: { sourceDir: string; buildDir: string; isRoot: boolean },
): Promise<BuiltRuntimeWrapper> {
  const sourceHash = await runtimeWrapperSourceHash(fs, paths.sourceDir);
  if (paths.isRoot) {
    await fs.mkdirp(paths.buildDir, 0o700);
    await assertRootOwnedDir(fs, paths.buildDir, 'the runtime wrapper build directory');
  }
  const output = join(paths.buildDir, `${RUNTIME_WRAPPER_NAME}-${sourceHash.slice(0, 16)}`);
  if (!(await fs.exists(output))) {
    try {
      await runner.run('go', ['build', '-trimpath', '-buildvcs=false', '-ldflags=-s -w', '-o', output, '.'], {
        cwd: paths.sourceDir,
        // GOENV=off and a build cache inside buildDir: with `sudo -E`, a user's go env file and
        // build cache would otherwise feed root's build.
        env: { CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '', GOENV: 'off', ...(paths.isRoot ? { GOCACHE: join(paths.buildDir, 'go-cache') } : {}) },
        timeoutMs: 5 * 60_000,
      });
    } catch (error) {
      throw new KindlabError(`failed to build the runtime wrapper (${RUNTIME_WRAPPER_NAME})`, {
        cause: error,
        hint: 'it needs Go (Debian golang-go or a Go toolchain on PATH)',
      });
    }
  }
  const bytes = await fs.readBytes(output);
  if (!bytes) throw new KindlabError(`failed to read the built runtime wrapper ${output}`);
  return { path: output, sourceHash, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Whether the installed wrapper is byte for byte this build. */
export async function runtimeWrapperCurrent(fs: HostFilesystem, built: BuiltRuntimeWrapper, wrapperPath: string): Promise<boolean> {
  return (await fs.readBytes(wrapperPath))?.equals(built.bytes) ?? false;
}

/**
 * Writes the build's bytes (as read and hashed after the build) to wrapperPath atomically: the
 * shim may exec the runtime at any moment. The install directory must be root-owned and not
 * writable by others, or anyone could replace what dockerd runs as root.
 */
export async function installRuntimeWrapper(fs: HostFilesystem, built: BuiltRuntimeWrapper, wrapperPath: string): Promise<void> {
  await fs.mkdirp(dirname(wrapperPath), 0o755);
  await assertRootOwnedDir(fs, dirname(wrapperPath), 'the runtime wrapper install directory');
  await fs.writeAtomic(wrapperPath, built.bytes, 0o755);
}
