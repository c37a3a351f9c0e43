import { dirname } from 'node:path';
import { KindlabError } from '../common/kindlab-error.js';
import type { HostFilesystem } from './host-filesystem.js';

const GROUP_OR_OTHER_WRITE = 0o022;
const STICKY = 0o1000;

/**
 * Root runs and installs binaries only from directories no other user can change: `dir` and
 * every directory above it are owned by root, not symbolic links, and not writable by group or
 * others. An ancestor may be world-writable with the sticky bit (/tmp): others cannot rename or
 * remove root's entries there. `purpose` names the directory in the error.
 */
export async function assertRootOwnedDir(fs: HostFilesystem, dir: string, purpose: string): Promise<void> {
  for (let path = dir, first = true; ; path = dirname(path), first = false) {
    const stat = await fs.stat(path);
    const problem = !stat
      ? 'does not exist'
      : stat.isSymbolicLink
        ? 'is a symbolic link'
        : !stat.isDirectory
          ? 'is not a directory'
          : stat.uid !== 0
            ? `is owned by uid ${stat.uid}, not root`
            : stat.mode & GROUP_OR_OTHER_WRITE && (first || !(stat.mode & STICKY))
              ? `is writable by group or others (mode ${stat.mode.toString(8).padStart(4, '0')})`
              : undefined;
    if (problem) {
      throw new KindlabError(`refusing to use ${dir} as ${purpose}: ${path} ${problem}`, {
        hint: `root installs binaries only from directories no other user can write; fix the owner and mode of ${path} (chown root:root, chmod go-w) or choose another path`,
      });
    }
    if (path === dirname(path)) return;
  }
}
