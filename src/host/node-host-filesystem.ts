import { constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { access, chmod, lstat, mkdir, readdir, readFile, rename, rm, rmdir, statfs, unlink, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join, relative } from 'node:path';
import type { HostFilesystem, PathStat } from './host-filesystem.js';

export class NodeHostFilesystem implements HostFilesystem {
  async readText(path: string): Promise<string | undefined> {
    return (await this.readBytes(path))?.toString('utf8');
  }

  async readBytes(path: string): Promise<Buffer | undefined> {
    try {
      return await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async writeText(path: string, text: string): Promise<void> {
    await writeFile(path, text);
  }

  async writeBytes(path: string, bytes: Buffer): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  }

  async exists(path: string): Promise<boolean> {
    return succeeds(() => access(path));
  }

  async mkdirp(path: string, mode?: number): Promise<void> {
    await mkdir(path, { recursive: true, mode });
  }

  async writeAtomic(path: string, bytes: Buffer, mode: number): Promise<void> {
    const temporary = join(dirname(path), `.${randomBytes(6).toString('hex')}.kindlab-new`);
    try {
      // 'wx': never follow or reuse something already at the temporary name.
      await writeFile(temporary, bytes, { mode, flag: 'wx' });
      // The umask may have cut bits from `mode`.
      await chmod(temporary, mode);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async stat(path: string): Promise<PathStat | undefined> {
    try {
      const stats = await lstat(path);
      return { uid: stats.uid, mode: stats.mode & 0o7777, isDirectory: stats.isDirectory(), isSymbolicLink: stats.isSymbolicLink() };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async remove(path: string): Promise<void> {
    try {
      await unlink(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  async removeEmptyDir(path: string): Promise<boolean> {
    // Not empty, or already gone: an answer, not a failure.
    return succeeds(() => rmdir(path), ['ENOTEMPTY', 'EEXIST', 'ENOENT']);
  }

  async freeBytes(path: string): Promise<number> {
    const stats = await statfs(path);
    return stats.bavail * stats.bsize;
  }

  async findExecutable(name: string): Promise<string | undefined> {
    for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
      const candidate = join(dir, name);
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not in this directory
      }
    }
    return undefined;
  }

  async readTree(dir: string): Promise<{ path: string; bytes: Buffer }[]> {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    const files = entries
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
    return Promise.all(files.map(async (file) => ({ path: relative(dir, file), bytes: await readFile(file) })));
  }
}

/** Whether `operation` succeeded; a failure is `false` when its code is expected (any code when none are listed), else thrown. */
async function succeeds(operation: () => Promise<unknown>, expectedCodes?: readonly string[]): Promise<boolean> {
  try {
    await operation();
    return true;
  } catch (error) {
    if (!expectedCodes || expectedCodes.includes((error as NodeJS.ErrnoException).code ?? '')) return false;
    throw error;
  }
}
