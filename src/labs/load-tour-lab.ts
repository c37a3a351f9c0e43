import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UsageError } from '../common/kindlab-error.js';
import { DEFAULT_TOUR_LAB } from './default-tour-lab.js';
import { projectRoot } from '../common/paths.js';
import { parseUserText, readUserFile } from '../common/read-user-file.js';
import type { TourLab } from './tour-lab.js';
import { validateTourLab } from './validate-tour-lab.js';

const HINT = 'see labs/README.md and templates/schemas/tour-lab.schema.json';

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
    throw new UsageError(`invalid --lab ${JSON.stringify(nameOrPath)}: it is a directory`, {
      hint: 'give a lab name (see labs/) or the path of a lab .yaml file',
    });
  }
  return validateTourLab(readUserFile(file, 'tour lab file', 'yaml', HINT), file);
}

export function parseTourLab(text: string, file: string): TourLab {
  return validateTourLab(parseUserText(text, file, 'yaml', HINT), file);
}
