import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh images/ directory with one Go module and Dockerfile under tool/, and an empty KINDLAB_HOME. */
export async function toolRecipeDirs(): Promise<{ imagesDir: string; home: string }> {
  const imagesDir = await mkdtemp(join(tmpdir(), 'kindlab-images-'));
  const home = await mkdtemp(join(tmpdir(), 'kindlab-home-'));
  await mkdir(join(imagesDir, 'tool'));
  await writeFile(join(imagesDir, 'tool', 'go.mod'), 'module kindlab.local/tool\n');
  await writeFile(join(imagesDir, 'tool', 'Dockerfile'), 'FROM scratch\nCOPY tool /tool\n');
  return { imagesDir, home };
}
