import { UsageError } from '../common/kindlab-error.js';
import { ACTION_CATALOG, CHECK_CATALOG, type FieldSpec } from './action-catalog.js';
import {
  TOPOLOGY_NOTE_KEYS,
  type ActionSpec,
  type ActionType,
  type CheckSpec,
  type CheckType,
  type TopologyNoteKey,
  type TourChapter,
  type TourLab,
  type TourStep,
} from './tour-lab.js';

/** A lab file that does not follow the format. Lists every problem with its path so one edit fixes them all. */
export class TourLabFormatError extends UsageError {
  readonly problems: string[];

  constructor(file: string, problems: string[]) {
    // One line, as every CLI error: the problems separated by "; ", the first ones only.
    const shown = problems.slice(0, 6);
    const more = problems.length > shown.length ? `; ... and ${problems.length - shown.length} more` : '';
    super(`invalid lab file ${file}: ${shown.join('; ')}${more}`, {
      hint: 'each step needs id, title, narration, action {type, ...} and checks [{type, ...}]; see labs/architecture.yaml',
    });
    this.name = 'TourLabFormatError';
    this.problems = problems;
  }
}

const ID = /^[a-z0-9][a-z0-9-]*$/;
const LAB_KEYS = ['name', 'title', 'source', 'intro', 'chapters'];
const CHAPTER_KEYS = ['id', 'title', 'steps'];
const STEP_KEYS = ['id', 'title', 'narration', 'demo', 'action', 'show', 'checks', 'topology'];

/** Turns parsed YAML into a TourLab, or throws TourLabFormatError naming every problem. */
export function validateTourLab(raw: unknown, file: string): TourLab {
  const problems: string[] = [];
  const lab = new Validator(problems).lab(raw, file);
  if (problems.length > 0 || lab === undefined) throw new TourLabFormatError(file, problems);
  return lab;
}

class Validator {
  private readonly stepIds = new Set<string>();
  private readonly configMaps = new Set<string>();
  private readonly deployments = new Set<string>();
  private readonly objectNames = new Set<string>();

  constructor(private readonly problems: string[]) {}

  lab(raw: unknown, file: string): TourLab | undefined {
    const record = this.record(raw, '(top level)', LAB_KEYS);
    if (!record) return undefined;
    const chaptersRaw = record.chapters;
    if (!Array.isArray(chaptersRaw) || chaptersRaw.length === 0) {
      this.problems.push('chapters: expected a non-empty list of chapters');
    }
    const chapterIds = new Set<string>();
    const chapters = (Array.isArray(chaptersRaw) ? chaptersRaw : []).map((c, i) => this.chapter(c, `chapters[${i}]`, chapterIds));
    return {
      name: this.requiredId(record.name, 'name') ?? '',
      title: this.requiredText(record.title, 'title') ?? '',
      source: this.optionalText(record.source, 'source'),
      intro: this.optionalText(record.intro, 'intro'),
      chapters: chapters.filter((c): c is TourChapter => c !== undefined),
      file,
    };
  }

  private chapter(raw: unknown, path: string, ids: Set<string>): TourChapter | undefined {
    const record = this.record(raw, path, CHAPTER_KEYS);
    if (!record) return undefined;
    const id = this.requiredId(record.id, `${path}.id`);
    if (id && ids.has(id)) this.problems.push(`${path}.id: duplicate chapter id "${id}"`);
    if (id) ids.add(id);
    const where = id ? `${path} (${id})` : path;
    if (!Array.isArray(record.steps) || record.steps.length === 0) {
      this.problems.push(`${where}.steps: expected a non-empty list of steps`);
    }
    const steps = (Array.isArray(record.steps) ? record.steps : []).map((s, i) => this.step(s, `${where}.steps[${i}]`));
    return {
      id: id ?? '',
      title: this.requiredText(record.title, `${where}.title`) ?? '',
      steps: steps.filter((s): s is TourStep => s !== undefined),
    };
  }

  private step(raw: unknown, path: string): TourStep | undefined {
    const record = this.record(raw, path, STEP_KEYS);
    if (!record) return undefined;
    const id = this.requiredId(record.id, `${path}.id`);
    if (id && this.stepIds.has(id)) this.problems.push(`${path}.id: duplicate step id "${id}" (step ids are unique in a lab)`);
    if (id) this.stepIds.add(id);
    const where = id ? `${path} (${id})` : path;
    const action = this.action(record.action, `${where}.action`);
    const show = this.show(record.show, `${where}.show`, action?.type);
    const checks = this.checks(record.checks, `${where}.checks`, action?.type);
    return {
      id: id ?? '',
      title: this.requiredText(record.title, `${where}.title`) ?? '',
      narration: this.requiredText(record.narration, `${where}.narration`) ?? '',
      demo: this.optionalText(record.demo, `${where}.demo`),
      action: action ?? { type: 'listNodes' },
      show,
      checks,
      topologyNotes: this.topologyNotes(record.topology, `${where}.topology`),
    };
  }

  private action(raw: unknown, path: string): ActionSpec | undefined {
    const record = this.record(raw, path);
    if (!record) return undefined;
    const type = record.type;
    if (typeof type !== 'string' || !(type in ACTION_CATALOG)) {
      this.problems.push(
        `${path}.type: ${type === undefined ? 'missing' : `unknown action "${String(type)}"`} (known: ${Object.keys(ACTION_CATALOG).join(', ')})`,
      );
      return undefined;
    }
    const params = this.fields(record, path, ACTION_CATALOG[type as ActionType].fields);
    const action = { type, ...params } as ActionSpec;
    this.crossReference(action, path);
    return action;
  }

  /** Steps refer to objects made by earlier steps; a dangling name would only fail half-way through a live tour. */
  private crossReference(action: ActionSpec, path: string): void {
    const created = (name: string, set: Set<string>): void => {
      if (this.objectNames.has(name)) this.problems.push(`${path}.name: object name "${name}" is already used by an earlier step`);
      this.objectNames.add(name);
      set.add(name);
    };
    switch (action.type) {
      case 'createConfigMap':
        created(action.name, this.configMaps);
        break;
      case 'createDeployment':
        created(action.name, this.deployments);
        break;
      case 'createPod':
        created(action.name, new Set());
        break;
      case 'readEtcdKey':
        if (!this.configMaps.has(action.configMap)) {
          this.problems.push(`${path}.configMap: "${action.configMap}" is not created by an earlier createConfigMap step`);
        }
        break;
      case 'deletePod':
        if (!this.deployments.has(action.deployment)) {
          this.problems.push(`${path}.deployment: "${action.deployment}" is not created by an earlier createDeployment step`);
        }
        break;
      default:
        break;
    }
  }

  private show(raw: unknown, path: string, action: ActionType | undefined): string[] {
    const views = action ? ACTION_CATALOG[action].views : [];
    if (raw === undefined) return [...views];
    if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) {
      this.problems.push(`${path}: expected a list of view names`);
      return [];
    }
    if (action) {
      for (const view of raw as string[]) {
        if (!views.includes(view)) this.problems.push(`${path}: action ${action} has no view "${view}" (it has: ${views.join(', ')})`);
      }
    }
    return raw as string[];
  }

  private checks(raw: unknown, path: string, action: ActionType | undefined): CheckSpec[] {
    if (!Array.isArray(raw) || raw.length === 0) {
      this.problems.push(`${path}: expected a non-empty list of checks (every step states something that must hold)`);
      return [];
    }
    const checks: CheckSpec[] = [];
    raw.forEach((item, i) => {
      const where = `${path}[${i}]`;
      const record = this.record(item, where);
      if (!record) return;
      const type = record.type;
      if (typeof type !== 'string' || !(type in CHECK_CATALOG)) {
        this.problems.push(
          `${where}.type: ${type === undefined ? 'missing' : `unknown check "${String(type)}"`} (known: ${Object.keys(CHECK_CATALOG).join(', ')})`,
        );
        return;
      }
      const entry = CHECK_CATALOG[type as CheckType];
      if (action && !entry.actions.includes(action)) {
        this.problems.push(`${where}.type: check ${type} does not apply to action ${action} (it reads the result of: ${entry.actions.join(', ')})`);
      }
      checks.push({ type, ...this.fields(record, where, entry.fields) } as CheckSpec);
    });
    return checks;
  }

  private topologyNotes(raw: unknown, path: string): Partial<Record<TopologyNoteKey, string>> {
    if (raw === undefined) return {};
    const record = this.record(raw, path, [...TOPOLOGY_NOTE_KEYS]);
    if (!record) return {};
    const notes: Partial<Record<TopologyNoteKey, string>> = {};
    for (const key of TOPOLOGY_NOTE_KEYS) {
      const text = this.optionalText(record[key], `${path}.${key}`);
      if (text) notes[key] = text;
    }
    return notes;
  }

  private fields(record: Record<string, unknown>, path: string, specs: Record<string, FieldSpec>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(record)) {
      if (key !== 'type' && !(key in specs)) {
        const known = Object.keys(specs);
        this.problems.push(`${path}.${key}: unknown field${known.length ? ` (known: ${known.join(', ')})` : ' (this type takes no fields)'}`);
      }
    }
    for (const [key, spec] of Object.entries(specs)) {
      const value = this.field(record[key], `${path}.${key}`, spec);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }

  private field(value: unknown, path: string, spec: FieldSpec): unknown {
    if (value === undefined || value === null) {
      if ('default' in spec && spec.default !== undefined) return spec.default;
      if (spec.required) this.problems.push(`${path}: required`);
      return undefined;
    }
    switch (spec.kind) {
      case 'string':
        if (typeof value !== 'string' || value === '') return this.bad(path, 'a non-empty string', value);
        if (spec.pattern && !spec.pattern.test(value)) return this.bad(path, spec.patternHint ?? String(spec.pattern), value);
        return value;
      case 'integer':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < spec.min || value > spec.max) {
          return this.bad(path, `an integer from ${spec.min} to ${spec.max}`, value);
        }
        return value;
      case 'enum':
        if (typeof value !== 'string' || !spec.values.includes(value)) return this.bad(path, `one of ${spec.values.join(', ')}`, value);
        return value;
      case 'stringMap':
        if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
          return this.bad(path, 'a mapping of strings to strings', value);
        }
        return value;
      case 'stringList': {
        if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string')) {
          return this.bad(path, 'a non-empty list of strings', value);
        }
        const unknown = spec.values ? value.filter((v) => !spec.values?.includes(v)) : [];
        if (unknown.length > 0) return this.bad(path, `values from ${spec.values?.join(', ')}`, unknown);
        return value;
      }
    }
  }

  private bad(path: string, expected: string, value: unknown): undefined {
    this.problems.push(`${path}: expected ${expected}, got ${JSON.stringify(value)}`);
    return undefined;
  }

  private record(raw: unknown, path: string, keys?: string[]): Record<string, unknown> | undefined {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      this.problems.push(`${path}: expected a mapping, got ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw}`);
      return undefined;
    }
    const record = raw as Record<string, unknown>;
    if (keys) {
      for (const key of Object.keys(record)) {
        if (!keys.includes(key)) this.problems.push(`${path}.${key}: unknown field (known: ${keys.join(', ')})`);
      }
    }
    return record;
  }

  private requiredId(value: unknown, path: string): string | undefined {
    if (typeof value !== 'string' || !ID.test(value)) {
      this.problems.push(`${path}: expected an id of lowercase letters, digits and "-", got ${JSON.stringify(value)}`);
      return undefined;
    }
    return value;
  }

  private requiredText(value: unknown, path: string): string | undefined {
    if (typeof value !== 'string' || value.trim() === '') {
      this.problems.push(`${path}: expected non-empty text`);
      return undefined;
    }
    return value.trim();
  }

  private optionalText(value: unknown, path: string): string | undefined {
    if (value === undefined) return undefined;
    return this.requiredText(value, path);
  }
}
