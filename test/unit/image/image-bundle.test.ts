import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidFileError } from '../../../src/common/invalid-file-error.js';
import { UsageError } from '../../../src/common/kindlab-error.js';
import { schemaErrors } from '../../../src/common/validate-with-schema.js';
import { BUILD_STAGES } from '../../../src/image/image-recipes.js';
import { planImageBundleLoad } from '../../../src/image/load-image-bundle.js';
import { planImageBundleSave } from '../../../src/image/save-image-bundle.js';
import { FakeRunner, type RecordedCall } from '../support/fake-runner.js';

/** `docker image inspect` of the four images a --hosted bundle holds, recorded after a build. */
const INSPECTED = readFileSync(new URL('../../fixtures/image-bundle/image-inspect.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { Id: string; RepoTags: string[] });

/** A real bundle's manifest (test/fixtures/image-bundle/README.md says how it was recorded). */
const MANIFEST = readFileSync(new URL('../../fixtures/image-bundle/kindlab-bundle.json', import.meta.url), 'utf8');

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'kindlab-unit-bundle-'));
}

/** A runner whose `tar -x ... -C dir` writes `manifest` as the bundle's manifest into dir. */
function extractingRunner(manifest: string): FakeRunner {
  return new FakeRunner((call: RecordedCall) => {
    if (call.command === 'tar' && call.args.includes('kindlab-bundle.json')) {
      const dir = call.args[call.args.indexOf('-C') + 1] as string;
      writeFileSync(join(dir, 'kindlab-bundle.json'), manifest);
    }
    return undefined;
  });
}

async function runAll(steps: { run(): Promise<string> }[]): Promise<void> {
  for (const step of steps) await step.run();
}

describe('lab image save', () => {
  const options = (out: string, force = false) => ({ out, force, stages: BUILD_STAGES, workDir: join(scratch(), 'tmp'), kindlabVersion: '0.1.0' });

  it('refuses an existing --out without --force before running anything', () => {
    const dir = scratch();
    const out = join(dir, 'bundle.tar.zst');
    writeFileSync(out, 'old');
    const runner = new FakeRunner();
    expect(() => planImageBundleSave(runner, options(out))).toThrow(UsageError);
    expect(() => planImageBundleSave(runner, options(out))).toThrow(/^invalid --out ".*bundle\.tar\.zst": the file exists$/);
    expect(runner.calls).toEqual([]);
    expect(() => planImageBundleSave(runner, options(out, true))).not.toThrow();
  });

  it('refuses a directory or a missing parent directory as --out', () => {
    const dir = scratch();
    expect(() => planImageBundleSave(new FakeRunner(), options(dir))).toThrow(/^invalid --out ".*": it is a directory$/);
    expect(() => planImageBundleSave(new FakeRunner(), options(join(dir, 'no', 'such', 'bundle')))).toThrow(
      /^invalid --out ".*": directory .* does not exist$/,
    );
  });

  /** Answers `docker image inspect` from real answers (fixtures/image-bundle/README.md), and `docker save -o` with a small file. */
  const savingRunner = () =>
    new FakeRunner((call) => {
      if (call.command === 'docker' && call.args[0] === 'image' && call.args[1] === 'inspect') {
        const ref = String(call.args.at(-1)).replace(/^docker\.io\//, '');
        const line = INSPECTED.find((image) => image.RepoTags.includes(ref));
        return line ? { stdout: JSON.stringify(line) } : { exitCode: 1, stderr: `Error: No such image: ${ref}` };
      }
      if (call.command === 'docker' && call.args[0] === 'save') writeFileSync(String(call.args[call.args.indexOf('-o') + 1]), 'stand-in for the images');
      return undefined;
    });

  it('saves the node, load balancer and external etcd images; with --hosted also the pod of lab up --host-cluster', async () => {
    for (const hosted of [false, true]) {
      const runner = savingRunner();
      const plan = planImageBundleSave(runner, { ...options(join(scratch(), 'b.tar.zst')), hosted });
      await runAll(plan.steps.slice(0, 2));
      const save = runner.lines().find((line) => line.startsWith('docker save')) ?? '';
      expect(save.includes('kindlab/dind:v0.30.0'), save).toBe(hosted);
      const manifest = JSON.parse(
        readFileSync(join(dirname(String(runner.calls.find((c) => c.args[0] === 'save')?.args[2])), 'kindlab-bundle.json'), 'utf8'),
      ) as {
        images: Array<{ role: string; id: string; recipeHash: string }>;
      };
      expect(manifest.images.map((i) => i.role)).toEqual(['node', 'load-balancer', 'external-etcd', ...(hosted ? ['hosted-pod'] : [])]);
      expect(manifest.images.at(-1)).toMatchObject(hosted ? { id: INSPECTED[3]!.Id, recipeHash: '2d44742347a50730' } : { role: 'external-etcd' });
      expect(schemaErrors(manifest, 'image-bundle')).toEqual([]);
    }
  });

  it('stops with a hint to build when an image is missing, before docker save', async () => {
    const runner = new FakeRunner((call) => (call.args[0] === 'image' ? { exitCode: 1, stderr: 'Error: No such image' } : undefined));
    const plan = planImageBundleSave(runner, options(join(scratch(), 'b.tar.zst')));
    await expect(runAll(plan.steps)).rejects.toThrow(/kindlab\/node:v1\.34\.4 \(node\) is not present/);
    expect(runner.lines().some((line) => line.startsWith('docker save'))).toBe(false);
  });
});

describe('lab image load', () => {
  const load = (file: string, runner: FakeRunner) => {
    const home = scratch();
    return planImageBundleLoad(runner, { file, workDir: join(home, 'tmp'), home });
  };
  const bundleFile = () => {
    const file = join(scratch(), 'bundle.tar.zst');
    writeFileSync(file, 'stand-in: the fake tar does the unpacking');
    return file;
  };

  it('accepts the manifest of a real bundle', () => {
    expect(schemaErrors(JSON.parse(MANIFEST), 'image-bundle')).toEqual([]);
  });

  it('refuses a missing FILE before running anything', () => {
    const runner = new FakeRunner();
    expect(() => load(join(scratch(), 'nope.tar.zst'), runner)).toThrow(/^invalid FILE ".*nope\.tar\.zst": does not exist$/);
    expect(runner.calls).toEqual([]);
  });

  it('names the field of a manifest that breaks the schema, exit 2, before unpacking the images', async () => {
    const broken = JSON.parse(MANIFEST) as { images: { id: string }[]; members: unknown[] };
    (broken.images[0] as { id: string }).id = 'sha256:nothex';
    const runner = extractingRunner(JSON.stringify(broken));
    const plan = load(bundleFile(), runner);
    const error = await runAll(plan.steps).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidFileError);
    expect((error as InvalidFileError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(/kindlab-bundle\.json: \/images\/0\/id must be a Docker image id/);
    expect(runner.lines()).toHaveLength(1);
  });

  it('refuses an archive without a manifest as not a bundle', async () => {
    const runner = new FakeRunner((call) => (call.command === 'tar' ? { exitCode: 2, stderr: 'tar: kindlab-bundle.json: Not found in archive' } : undefined));
    const plan = load(bundleFile(), runner);
    await expect(runAll(plan.steps)).rejects.toThrow(/^invalid FILE ".*": not a kindlab image bundle \(no kindlab-bundle\.json in it\)$/);
  });

  it('names the member whose sha256 does not match, and loads nothing', async () => {
    const runner = new FakeRunner((call) => {
      const dir = call.args[call.args.indexOf('-C') + 1] as string;
      if (call.command === 'tar' && call.args.includes('kindlab-bundle.json')) writeFileSync(join(dir, 'kindlab-bundle.json'), MANIFEST);
      else if (call.command === 'tar') {
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'images.tar'), 'not the images');
      }
      return undefined;
    });
    const plan = load(bundleFile(), runner);
    await expect(runAll(plan.steps)).rejects.toThrow(/\/members\/0\/sha256: images\.tar has sha256 [0-9a-f]{64} \(14 bytes\), the manifest says 721f75e5/);
    expect(runner.lines().some((line) => line.startsWith('docker load'))).toBe(false);
  });
});
