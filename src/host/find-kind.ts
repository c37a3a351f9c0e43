import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { CommandRunner } from '../common/command-runner.js';
import { createDebugLogger } from '../common/debug-logger.js';
import { KindlabError } from '../common/kindlab-error.js';
import { kindlabBinDir } from '../common/paths.js';
import { KIND_VERSION } from '../image/image-refs.js';
import { kindVersionOf } from './kind-version-of.js';

const debug = createDebugLogger('kind');

/**
 * kind releases kindlab drives. v0.30 is pinned because its HA load balancer is haproxy, which
 * Debian packages; from v0.32 on kind runs an envoy image that cannot be built offline.
 */
export const SUPPORTED_KIND_VERSIONS: readonly RegExp[] = [/^v0\.30\.\d+$/];

export interface KindBinary {
  path: string;
  version: string;
  /** True when this call ran `go install`. */
  installed: boolean;
}

export function isSupportedKindVersion(version: string): boolean {
  return SUPPORTED_KIND_VERSIONS.some((pattern) => pattern.test(version));
}

/**
 * A supported kind that is already there: $KINDLAB_KIND, then `kind` on PATH, then the one
 * kindlab installed. Never installs, for commands that must not change the host. Apart from
 * ensureKind (which installs) because `lab version` runs this at startup: this file loads no
 * subprocess code, and a recorded version runs nothing.
 */
export async function findKind(runner: CommandRunner): Promise<KindBinary | undefined> {
  const explicit = process.env.KINDLAB_KIND;
  if (explicit) {
    const version = await kindVersionOf(runner, explicit);
    if (!version || !isSupportedKindVersion(version)) {
      throw new KindlabError(`KINDLAB_KIND=${explicit} is not a supported kind (${version ?? 'it does not run'})`, {
        hint: `point KINDLAB_KIND at kind ${KIND_VERSION}, or unset it so kindlab installs ${KIND_VERSION}`,
      });
    }
    return { path: explicit, version, installed: false };
  }
  for (const candidate of kindCandidates()) {
    const version = await kindVersionOf(runner, candidate);
    debug(`${candidate}: ${version ?? 'not usable'}`);
    if (version && isSupportedKindVersion(version)) return { path: candidate, version, installed: false };
  }
  return undefined;
}

/**
 * Every executable `kind` on PATH, then kindlab's own bin directory. Checked synchronously: a few
 * microseconds per directory, where an awaited check is a thread-pool round trip each (npm puts a
 * dozen directories on PATH) that `lab version` would wait for one after the other.
 */
function kindCandidates(): string[] {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const candidates: string[] = [];
  for (const dir of [...dirs, kindlabBinDir()]) {
    const path = join(dir, 'kind');
    if (candidates.includes(path)) continue;
    try {
      accessSync(path, constants.X_OK);
      candidates.push(path);
    } catch {
      // absent here
    }
  }
  return candidates;
}
