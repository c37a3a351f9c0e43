import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { projectRoot } from '../common/paths.js';
import { UsageError } from '../common/kindlab-error.js';

/** The texts of templates/annotations/<language>.yaml. Renderers take this as plain data. */
export interface Annotations {
  language: string;
  components: Record<string, string>;
  processes: {
    shim: string;
    shimWithoutPod: string;
    pause: string;
    componentContainer: string;
    container: string;
    containerChild: string;
    system: string;
  };
  roles: Record<string, { title: string; text: string }>;
  communication: Record<string, string>;
  headings: Record<string, string>;
}

export function annotationsPath(language: string): string {
  return join(projectRoot(), 'templates', 'annotations', `${language}.yaml`);
}

export function loadAnnotations(language = 'en'): Annotations {
  if (!/^[a-z]{2}(-[A-Za-z]{2})?$/.test(language)) {
    throw new UsageError(`invalid language ${JSON.stringify(language)}`, { hint: 'use a code like en or de' });
  }
  const path = annotationsPath(language);
  if (!existsSync(path)) {
    throw new UsageError(`no annotations for language ${language}`, { hint: `create ${path} from templates/annotations/en.yaml` });
  }
  return parseAnnotations(readFileSync(path, 'utf8'), path);
}

export function parseAnnotations(text: string, source: string): Annotations {
  const data = load(text) as Partial<Annotations> | null;
  const missing = ['components', 'processes', 'roles', 'communication', 'headings'].filter(
    (key) => typeof (data as Record<string, unknown> | null)?.[key] !== 'object',
  );
  if (!data || missing.length > 0) throw new UsageError(`failed to load annotations ${source}: missing ${missing.join(', ')}`);
  return data as Annotations;
}

/** Fills {placeholders}; unknown ones stay visible so a translator sees the mistake. */
export function fill(template: string, values: Record<string, string | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
