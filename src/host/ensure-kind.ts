import { join } from 'node:path';
import { CommandError, type CommandRunner } from '../common/command-runner.js';
import { KindlabError } from '../common/kindlab-error.js';
import { kindlabBinDir } from '../common/paths.js';
import { KIND_VERSION } from '../image/image-refs.js';
import { findKind, isSupportedKindVersion, type KindBinary } from './find-kind.js';
import { kindVersionOf } from './kind-version-of.js';

export const KIND_MODULE = 'sigs.k8s.io/kind';

/** A supported kind, installing the pinned release into kindlabBinDir() with `go install` when none is found. */
export async function ensureKind(runner: CommandRunner): Promise<KindBinary> {
  const found = await findKind(runner);
  if (found) return found;
  const binDir = kindlabBinDir();
  try {
    await runner.run('go', ['install', `${KIND_MODULE}@${KIND_VERSION}`], {
      env: { GOBIN: binDir, CGO_ENABLED: '0', GOTOOLCHAIN: 'local' },
      timeoutMs: 15 * 60_000,
    });
  } catch (error) {
    throw new KindlabError(`failed to install kind ${KIND_VERSION}`, {
      cause: error,
      hint: error instanceof CommandError && !error.result ? 'install Go (golang-go) or put kind on PATH' : undefined,
    });
  }
  const path = join(binDir, 'kind');
  const version = await kindVersionOf(runner, path);
  if (!version || !isSupportedKindVersion(version)) {
    throw new KindlabError(`failed to install kind ${KIND_VERSION}: ${path} reports ${version ?? 'nothing'}`);
  }
  return { path, version, installed: true };
}
