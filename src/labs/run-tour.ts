import { createDebugLogger } from '../common/debug-logger.js';
import type { ActionOutcome } from './action-outcome.js';
import { topologyNoteKeys, type ClusterTopology } from './cluster-topology.js';
import { evaluateCheck, type CheckResult } from './evaluate-check.js';
import { runAction } from './run-action.js';
import type { TourContext } from './tour-context.js';
import type { TourChapter, TourLab, TourStep } from './tour-lab.js';

const debug = createDebugLogger('tour');

export interface StepRecord {
  /** "3.2": chapter and step number, as the handout shows them. */
  number: string;
  chapter: TourChapter;
  step: TourStep;
  outcome: ActionOutcome | undefined;
  error: string | undefined;
  checks: CheckResult[];
  /** The step's topology notes that apply to this cluster. */
  notes: string[];
  passed: boolean;
}

export interface TourRecord {
  lab: TourLab;
  topology: ClusterTopology;
  startedAt: Date;
  steps: StepRecord[];
  /** False when the tour stopped early (q, Ctrl-C); the handout says so. */
  completed: boolean;
}

export type TourEvent =
  | { kind: 'chapter'; chapter: TourChapter; number: number; total: number }
  | { kind: 'step-start'; chapter: TourChapter; step: TourStep; number: string }
  | { kind: 'step-done'; record: StepRecord };

export interface TourRun {
  record: TourRecord;
  /** Pull-driven: the next step runs only when the caller asks for the next event (Enter in a TTY). */
  events: AsyncGenerator<TourEvent, TourRecord>;
}

export function startTour(lab: TourLab, ctx: TourContext): TourRun {
  const record: TourRecord = { lab, topology: ctx.topology, startedAt: ctx.now(), steps: [], completed: false };
  return { record, events: tourEvents(lab, ctx, record) };
}

async function* tourEvents(lab: TourLab, ctx: TourContext, record: TourRecord): AsyncGenerator<TourEvent, TourRecord> {
  const noteKeys = topologyNoteKeys(ctx.topology);
  for (const [c, chapter] of lab.chapters.entries()) {
    yield { kind: 'chapter', chapter, number: c + 1, total: lab.chapters.length };
    for (const [s, step] of chapter.steps.entries()) {
      const number = `${c + 1}.${s + 1}`;
      yield { kind: 'step-start', chapter, step, number };
      const stepRecord = await runStep(ctx, chapter, step, number, noteKeys);
      record.steps.push(stepRecord);
      yield { kind: 'step-done', record: stepRecord };
    }
  }
  record.completed = true;
  return record;
}

async function runStep(ctx: TourContext, chapter: TourChapter, step: TourStep, number: string, noteKeys: readonly string[]): Promise<StepRecord> {
  const notes = noteKeys.map((key) => step.topologyNotes[key as keyof typeof step.topologyNotes]).filter((n): n is string => n !== undefined);
  const started = Date.now();
  try {
    const outcome = await runAction(ctx, step.action);
    const checks = step.checks.map((check) => evaluateCheck(check, outcome.facts));
    debug(`step ${step.id} took ${Date.now() - started} ms`);
    return { number, chapter, step, outcome, error: undefined, checks, notes, passed: checks.every((c) => c.passed) };
  } catch (error) {
    // An interrupt is not a failed step: let it end the tour.
    if (ctx.signal.aborted) throw error;
    const message = (error as Error).message ?? String(error);
    debug(`step ${step.id} failed`, error);
    const checks: CheckResult[] = [
      { name: `action ${step.action.type}`, passed: false, detail: message },
      ...step.checks.map((c) => ({ name: c.type, passed: false, detail: 'not evaluated: the action failed' })),
    ];
    return { number, chapter, step, outcome: undefined, error: message, checks, notes, passed: false };
  }
}

export function failedChecks(record: TourRecord): Array<{ step: StepRecord; check: CheckResult }> {
  return record.steps.flatMap((step) => step.checks.filter((c) => !c.passed).map((check) => ({ step, check })));
}
