import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { load } from 'js-yaml';
import { UsageError } from '../common/kindlab-error.js';
import { DEFAULT_TOUR_LAB } from './default-tour-lab.js';
import { projectRoot } from '../common/paths.js';
import type { TourLab } from './tour-lab.js';
import { TourLabFormatError, validateTourLab } from './validate-tour-lab.js';

export { DEFAULT_TOUR_LAB };

export function labsDir(): string {
  return join(projectRoot(), 'labs');
}

/** The labs shipped under labs/, by name (file name without .yaml). */
export function listTourLabs(dir = labsDir()): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => basename(f, '.yaml'))
    .sort();
}

/** `--lab architecture` names a file in labs/; a value with a slash or .yaml is a path, so workshops can bring their own. */
export function loadTourLab(nameOrPath: string, dir = labsDir()): TourLab {
  const isPath = nameOrPath.includes('/') || nameOrPath.endsWith('.yaml') || nameOrPath.endsWith('.yml');
  const file = isPath ? nameOrPath : join(dir, `${nameOrPath}.yaml`);
  if (!existsSync(file)) {
    const known = listTourLabs(dir);
    throw new UsageError(`invalid --lab ${JSON.stringify(nameOrPath)}: no such lab`, {
      hint: known.length ? `available labs: ${known.join(', ')} (or give a path to a .yaml file)` : `no lab files in ${dir}`,
    });
  }
  if (statSync(file).isDirectory()) {
    throw new UsageError(`invalid --lab ${JSON.stringify(nameOrPath)}: it is a directory`, { hint: 'give a lab name (see labs/) or the path of a lab .yaml file' });
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new UsageError(`invalid --lab ${JSON.stringify(nameOrPath)}: failed to read ${file}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}`, { cause });
  }
  return parseTourLab(text, file);
}

export function parseTourLab(text: string, file: string): TourLab {
  let raw: unknown;
  try {
    raw = load(text, { filename: file });
  } catch (error) {
    throw new TourLabFormatError(file, [`not valid YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
  return validateTourLab(raw, file);
}
