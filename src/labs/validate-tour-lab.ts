import type { HighlightTarget } from '../serve/live-view.js';
import { InvalidFileError } from '../common/invalid-file-error.js';
import { schemaHint, validateWithSchema } from '../common/validate-with-schema.js';
import { ACTION_CATALOG, CHECK_ACTIONS } from './action-catalog.js';
import type { ActionSpec, CheckSpec, TopologyNoteKey, TourChapter, TourLab, TourStep } from './tour-lab.js';

const HINT = 'see labs/README.md and labs/architecture.yaml';

/** A lab file as templates/schemas/tour-lab.schema.json lets it be, its defaults filled in. */
interface LabFile {
  name: string;
  title: string;
  source?: string;
  intro?: string;
  chapters: Array<{
    id: string;
    title: string;
    steps: Array<{
      id: string;
      title: string;
      narration: string;
      demo?: string;
      action: ActionSpec;
      show?: string[];
      checks: CheckSpec[];
      topology?: Partial<Record<TopologyNoteKey, string>>;
      highlight?: HighlightTarget[];
    }>;
  }>;
}

/**
 * Turns parsed YAML into a TourLab: first the schema (every field, type and default), then what a schema
 * cannot say: unique ids, views and checks that fit the step's action, and names made by earlier steps
 * (a dangling name would only fail half-way through a live tour). Throws an InvalidFileError naming every
 * problem with its path.
 */
export function validateTourLab(raw: unknown, file: string): TourLab {
  validateWithSchema(raw, 'tour-lab', file, HINT);
  const lab = raw as LabFile;
  const problems = crossFieldProblems(lab);
  if (problems.length > 0) throw new InvalidFileError(file, problems, schemaHint('tour-lab', HINT));
  return {
    name: lab.name,
    title: lab.title.trim(),
    source: lab.source?.trim(),
    intro: lab.intro?.trim(),
    file,
    chapters: lab.chapters.map((chapter): TourChapter => ({ id: chapter.id, title: chapter.title.trim(), steps: chapter.steps.map(toStep) })),
  };
}

function toStep(step: LabFile['chapters'][number]['steps'][number]): TourStep {
  return {
    id: step.id,
    title: step.title.trim(),
    narration: step.narration.trim(),
    demo: step.demo?.trim(),
    action: step.action,
    show: step.show ?? [...ACTION_CATALOG[step.action.type].views],
    checks: step.checks,
    topologyNotes: Object.fromEntries(Object.entries(step.topology ?? {}).map(([key, text]) => [key, text.trim()])),
    highlight: step.highlight ?? [],
  };
}

function crossFieldProblems(lab: LabFile): string[] {
  const problems: string[] = [];
  const chapterIds = new Set<string>();
  const stepIds = new Set<string>();
  const objectNames = new Set<string>();
  const configMaps = new Set<string>();
  const deployments = new Set<string>();
  lab.chapters.forEach((chapter, c) => {
    if (chapterIds.has(chapter.id)) problems.push(`/chapters/${c}/id duplicate chapter id "${chapter.id}"`);
    chapterIds.add(chapter.id);
    chapter.steps.forEach((step, s) => {
      const at = `/chapters/${c}/steps/${s}`;
      if (stepIds.has(step.id)) problems.push(`${at}/id duplicate step id "${step.id}" (step ids are unique in a lab)`);
      stepIds.add(step.id);
      const action = step.action;
      const views = ACTION_CATALOG[action.type].views;
      for (const view of step.show ?? []) {
        if (!views.includes(view)) problems.push(`${at}/show action ${action.type} has no view "${view}" (it has: ${views.join(', ')})`);
      }
      step.checks.forEach((check, i) => {
        const reads = CHECK_ACTIONS[check.type];
        if (!reads.includes(action.type)) {
          problems.push(`${at}/checks/${i}/type check ${check.type} does not apply to action ${action.type} (it reads the result of: ${reads.join(', ')})`);
        }
      });
      const created = (name: string, kind: Set<string>): void => {
        if (objectNames.has(name)) problems.push(`${at}/action/name object name "${name}" is already used by an earlier step`);
        objectNames.add(name);
        kind.add(name);
      };
      if (action.type === 'createConfigMap') created(action.name, configMaps);
      if (action.type === 'createDeployment') created(action.name, deployments);
      if (action.type === 'createPod') created(action.name, new Set());
      if (action.type === 'readEtcdKey' && !configMaps.has(action.configMap)) {
        problems.push(`${at}/action/configMap "${action.configMap}" is not created by an earlier createConfigMap step`);
      }
      if (action.type === 'deletePod' && !deployments.has(action.deployment)) {
        problems.push(`${at}/action/deployment "${action.deployment}" is not created by an earlier createDeployment step`);
      }
    });
  });
  return problems;
}
