import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION_CATALOG } from '../../../src/labs/action-catalog.js';
import { listTourLabs, loadTourLab, parseTourLab } from '../../../src/labs/load-tour-lab.js';
import { InvalidFileError } from '../../../src/common/invalid-file-error.js';
import { fileProblemsOf, usageErrorOf } from '../support/usage-error-of.js';
import { UsageError } from '../../../src/common/kindlab-error.js';
import { warmSchemas } from '../support/warm-schemas.js';

const fixtures = join(import.meta.dirname, '../../fixtures/labs');

warmSchemas('tour-lab');

describe('loadTourLab', () => {
  it('loads the architecture lab with the eight chapters of the workshop, in order', () => {
    const lab = loadTourLab('architecture');
    expect(lab.chapters.map((c) => c.id)).toEqual(['nodes', 'worker-nodes', 'control-plane', 'etcd', 'scheduler', 'controllers', 'communication', 'scale']);
    for (const step of lab.chapters.flatMap((c) => c.steps)) {
      expect(step.checks.length, step.id).toBeGreaterThan(0);
      expect(
        step.show.every((v) => ACTION_CATALOG[step.action.type].views.includes(v)),
        step.id,
      ).toBe(true);
    }
  });

  it('fills defaults from the schema', () => {
    const lab = parseTourLab(
      'name: x\ntitle: X\nchapters:\n  - id: c\n    title: C\n    steps:\n      - {id: s, title: S, narration: n, action: {type: podLogs, selector: a=b, role: worker}, checks: [{type: logsReturned}]}\n',
      'inline.yaml',
    );
    const step = lab.chapters[0]!.steps[0]!;
    expect(step.action).toEqual({ type: 'podLogs', namespace: 'kube-system', selector: 'a=b', role: 'worker', tailLines: 5 });
    expect(step.show).toEqual(['route', 'logs']);
  });

  it('gives every step of the architecture lab a highlight for `lab tour --serve`, and keeps it as written', () => {
    const steps = loadTourLab('architecture').chapters.flatMap((c) => c.steps);
    for (const step of steps) expect(step.highlight.length, step.id).toBeGreaterThan(0);
    expect(steps.find((s) => s.id === 'worker-services')!.highlight).toEqual([
      { component: 'kubelet' },
      { component: 'containerd' },
      { kind: 'shim' },
      { kind: 'pause' },
      { component: 'kube-proxy' },
    ]);
  });

  it('takes one target per highlight entry, from the schema', () => {
    const step = (highlight: string) =>
      `name: x\ntitle: X\nchapters:\n  - id: c\n    title: C\n    steps:\n      - {id: s, title: S, narration: n, action: {type: listNodes}, checks: [{type: nodesReady}], highlight: ${highlight}}\n`;
    expect(parseTourLab(step('[{ arrow: etcd }]'), 'inline.yaml').chapters[0]!.steps[0]!.highlight).toEqual([{ arrow: 'etcd' }]);
    expect(parseTourLab(step('[{ role: worker }]').replace(', highlight: [{ role: worker }]', ''), 'inline.yaml').chapters[0]!.steps[0]!.highlight).toEqual([]);
    const problems = fileProblemsOf(() => parseTourLab(step('[{ kind: shim, pod: web }, { kind: sidecar }]'), 'inline.yaml'));
    expect(problems.some((p) => p.startsWith('/chapters/0/steps/0/highlight/0 '))).toBe(true);
    expect(problems.some((p) => p.startsWith('/chapters/0/steps/0/highlight/1/kind must be one of system, shim, pause, container'))).toBe(true);
  });

  it('reports every schema problem of a broken lab file with its path', () => {
    const error = usageErrorOf(() => loadTourLab(join(fixtures, 'broken.yaml')), InvalidFileError);
    expect(error.problems).toEqual([
      '/name must be an id of lowercase letters, digits and "-" (got "Broken Lab")',
      expect.stringMatching(/^\/chapters\/0\/steps\/0\/action\/type must be one of listNodes, showProcessTree, .* \(got "lsNodes"\)$/),
      '/chapters/0/steps/1/action/role must be one of worker, control-plane (got "etcd-node")',
      expect.stringMatching(/^\/chapters\/0\/steps\/1\/checks\/0\/roles\/1 must be one of containerd, .* \(got "systemd-magic"\)$/),
      '/chapters/0/steps/2/narration is required',
      '/chapters/0/steps/2/checks must have at least 1 item(s)',
      '/chapters/0/steps/3/action/image is not a known field (known: type, name, replicas)',
      '/chapters/0/steps/3/action/replicas must be <= 5 (got 50)',
      '/chapters/0/steps/3/topology/huge is not a known field (known: single, multi, ha, stacked-etcd, external-etcd)',
    ]);
    expect(error.message).toMatch(/^.*broken\.yaml: \/name must be an id/);
    expect(error.hint).toMatch(/templates\/schemas\/tour-lab\.schema\.json/);
  });

  it('reports every rule across fields a schema cannot state, with its path', () => {
    expect(fileProblemsOf(() => loadTourLab(join(fixtures, 'broken-references.yaml')))).toEqual([
      '/chapters/0/steps/1/id duplicate step id "a" (step ids are unique in a lab)',
      '/chapters/0/steps/1/show action showProcessTree has no view "graph" (it has: tree, components)',
      '/chapters/0/steps/1/checks/0/type check nodesReady does not apply to action showProcessTree (it reads the result of: listNodes)',
      '/chapters/0/steps/2/action/configMap "never-created" is not created by an earlier createConfigMap step',
      '/chapters/0/steps/3/action/deployment "web" is not created by an earlier createDeployment step',
      '/chapters/0/steps/4/action/name object name "cfg" is already used by an earlier step',
      '/chapters/1/id duplicate chapter id "one"',
    ]);
  });

  it('keeps object names to 54 characters, leaving room for the run id the tour appends', () => {
    const lab = (name: string) =>
      `name: x\ntitle: X\nchapters:\n  - id: c\n    title: C\n    steps:\n      - {id: s, title: S, narration: n, action: {type: createPod, name: ${name}}, checks: [{type: podScheduled}]}\n`;
    expect(parseTourLab(lab('a'.repeat(54)), 'inline.yaml').chapters[0]!.steps[0]!.action).toMatchObject({ name: 'a'.repeat(54) });
    expect(() => parseTourLab(lab('a'.repeat(55)), 'inline.yaml')).toThrow(/\/action\/name must be .*at most 54 characters \(the tour appends "-<run id>"/);
  });

  it('names the available labs when asked for an unknown one', () => {
    expect(() => loadTourLab('no-such-lab')).toThrow(UsageError);
    expect(() => loadTourLab('no-such-lab')).toThrow(/invalid --lab "no-such-lab": no such lab/);
    expect(listTourLabs()).toContain('architecture');
  });

  it('refuses YAML that does not parse, naming the file', () => {
    expect(() => parseTourLab('name: [unclosed', 'bad.yaml')).toThrow(/^bad\.yaml: not valid YAML/);
  });
});
