import { constants } from 'node:fs';
import { access, chmod, copyFile, mkdir, readdir, readFile, rename, statfs, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join, relative } from 'node:path';
import type { HostFilesystem } from './host-filesystem.js';

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
    try {
      await access(path);
      return true;
    } catch {
      return false;
    }
  }

  async mkdirp(path: string): Promise<void> {
    await mkdir(path, { recursive: true });
  }

  async installExecutable(from: string, to: string): Promise<void> {
    // A runtime binary can be exec'd at any moment by the shim: never leave it half written.
    const temporary = `${to}.kindlab-new`;
    await mkdir(dirname(to), { recursive: true });
    await copyFile(from, temporary);
    await chmod(temporary, 0o755);
    await rename(temporary, to);
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
