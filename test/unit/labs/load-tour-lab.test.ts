import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION_CATALOG } from '../../../src/labs/action-catalog.js';
import { listTourLabs, loadTourLab, parseTourLab } from '../../../src/labs/load-tour-lab.js';
import { TourLabFormatError } from '../../../src/labs/validate-tour-lab.js';
import { UsageError } from '../../../src/common/kindlab-error.js';

const fixtures = join(import.meta.dirname, '../../fixtures/labs');

describe('loadTourLab', () => {
  it('loads the architecture lab with the eight chapters of the workshop, in order', () => {
    const lab = loadTourLab('architecture');
    expect(lab.chapters.map((c) => c.id)).toEqual([
      'nodes',
      'worker-nodes',
      'control-plane',
      'etcd',
      'scheduler',
      'controllers',
      'communication',
      'scale',
    ]);
    for (const step of lab.chapters.flatMap((c) => c.steps)) {
      expect(step.checks.length, step.id).toBeGreaterThan(0);
      expect(step.show.every((v) => ACTION_CATALOG[step.action.type].views.includes(v)), step.id).toBe(true);
    }
  });

  it('fills defaults from the catalog', () => {
    const lab = parseTourLab(
      'name: x\ntitle: X\nchapters:\n  - id: c\n    title: C\n    steps:\n      - {id: s, title: S, narration: n, action: {type: podLogs, selector: a=b, role: worker}, checks: [{type: logsReturned}]}\n',
      'inline.yaml',
    );
    const step = lab.chapters[0]!.steps[0]!;
    expect(step.action).toEqual({ type: 'podLogs', namespace: 'kube-system', selector: 'a=b', role: 'worker', tailLines: 5 });
    expect(step.show).toEqual(['route', 'logs']);
  });

  it('reports every problem of a broken lab file with its path', () => {
    let error: unknown;
    try {
      loadTourLab(join(fixtures, 'broken.yaml'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TourLabFormatError);
    const problems = (error as TourLabFormatError).problems;
    const expected = [
      /^name: expected an id/,
      /steps\[0\] \(a\)\.action\.type: unknown action "lsNodes" \(known: listNodes, /,
      /steps\[1\]\.id: duplicate step id "a"/,
      /action\.role: expected one of worker, control-plane, got "etcd-node"/,
      /show: action showProcessTree has no view "graph" \(it has: tree, components\)/,
      /checks\[0\]\.type: check nodesReady does not apply to action showProcessTree/,
      /checks\[1\]\.roles: expected values from .*, got \["systemd-magic"\]/,
      /\(c\)\.narration: expected non-empty text/,
      /\(c\)\.action\.configMap: "never-created" is not created by an earlier createConfigMap step/,
      /\(c\)\.checks: expected a non-empty list of checks/,
      /\(d\)\.action\.replicas: expected an integer from 1 to 5, got 50/,
      /\(d\)\.action\.image: unknown field \(known: name, replicas\)/,
      /\(d\)\.topology\.huge: unknown field \(known: single, multi, ha, stacked-etcd, external-etcd\)/,
    ];
    for (const pattern of expected) expect(problems.some((p) => pattern.test(p)), `${pattern} in\n${problems.join('\n')}`).toBe(true);
    expect(problems).toHaveLength(expected.length);
    expect((error as TourLabFormatError).exitCode).toBe(2);
  });

  it('keeps object names to 54 characters, leaving room for the run id the tour appends', () => {
    const lab = (name: string) =>
      `name: x\ntitle: X\nchapters:\n  - id: c\n    title: C\n    steps:\n      - {id: s, title: S, narration: n, action: {type: createPod, name: ${name}}, checks: [{type: podScheduled}]}\n`;
    expect(parseTourLab(lab('a'.repeat(54)), 'inline.yaml').chapters[0]!.steps[0]!.action).toMatchObject({ name: 'a'.repeat(54) });
    expect(() => parseTourLab(lab('a'.repeat(55)), 'inline.yaml')).toThrow(/action\.name: .*at most 54 characters \(the tour appends "-<run id>"/);
  });

  it('names the available labs when asked for an unknown one', () => {
    expect(() => loadTourLab('no-such-lab')).toThrow(UsageError);
    expect(() => loadTourLab('no-such-lab')).toThrow(/invalid --lab "no-such-lab": no such lab/);
    expect(listTourLabs()).toContain('architecture');
  });

  it('refuses YAML that does not parse, naming the file', () => {
    expect(() => parseTourLab('name: [unclosed', 'bad.yaml')).toThrow(/invalid lab file bad\.yaml: not valid YAML/);
  });
});
