import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout that holds package.json, templates/ and images/, whether run from src/ or dist/src/. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('failed to find the kindlab project root (no package.json above this file)');
    dir = parent;
  }
  return dir;
}

/** Build outputs and installed tools live here; KINDLAB_HOME moves it. */
export function kindlabHome(): string {
  return process.env.KINDLAB_HOME ?? join(homedir(), '.cache', 'kindlab');
}

export function kindlabBinDir(): string {
  return join(kindlabHome(), 'bin');
}
