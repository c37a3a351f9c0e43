import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { IMAGE_BUILD_RUN_LABEL } from '../../src/common/labels.js';
import { buildPaths } from '../../src/image/build-paths.js';
import { stageOutputRef } from '../../src/image/build-stages.js';
import { BUILD_STAGES, findStage } from '../../src/image/image-recipes.js';
import { OFFLINE_NODE_IMAGE } from '../../src/image/image-refs.js';
import { dockerSkipReason } from './support/lab-resources.js';
import { LAB_CLI } from './support/run-lab.js';

/**
 * `lab image build --only node` into a tag of its own, in a KINDLAB_HOME of its own, interrupted
 * once its build container runs. The node stage is the one with a build container; it reads the
 * images of the earlier stages and never touches kindlab/node:<version>, which labs keep using.
 */
const CANDIDATE_TAG = 'kindlab/node:e2e-build-interrupt';
const node = findStage(BUILD_STAGES, 'node');
const inputs = node.kind === 'node' ? [node.base, ...node.preload].map((name) => stageOutputRef(findStage(BUILD_STAGES, name))!) : [];
/** What the build reads, and the node image labs use: all must be exactly as before. */
const WATCHED = [...inputs, OFFLINE_NODE_IMAGE];

function docker(args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function imageId(ref: string): string | undefined {
  try {
    return docker(['image', 'inspect', '--format', '{{.Id}}', ref]);
  } catch {
    return undefined;
  }
}

/** Build containers of any kindlab build (the label is blank on node images' containers: those are not builds). */
function buildContainers(): Array<{ id: string; run: string; state: string }> {
  return docker(['ps', '--all', '--filter', `label=${IMAGE_BUILD_RUN_LABEL}`, '--format', `{{.ID}} {{.Label "${IMAGE_BUILD_RUN_LABEL}"}} {{.State}}`])
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([id, run]) => id && run)
    .map(([id, run, state]) => ({ id: id!, run: run!, state: state ?? '' }));
}

function missingInputs(): string | undefined {
  const missing = WATCHED.filter((ref) => !imageId(ref));
  return missing.length > 0 ? `run \`lab image build\` first; missing ${missing.join(', ')}` : undefined;
}

const skip = dockerSkipReason() ?? missingInputs();

describe.skipIf(skip !== undefined)('lab image build interrupted', () => {
  const home = mkdtempSync(join(tmpdir(), 'kindlab-e2e-build-interrupt-'));
  const paths = buildPaths(home);

  afterAll(() => {
    // Test-side cleanup, independent of the code under test: a failed run must not leave a candidate image.
    if (imageId(CANDIDATE_TAG)) execFileSync('docker', ['image', 'rm', CANDIDATE_TAG], { stdio: 'ignore' });
    rmSync(home, { recursive: true, force: true });
  });

  for (const [signal, exitCode] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} while the build container runs removes it and the preload directory, exits ${exitCode}, and changes no image`, async () => {
      const before = new Map(WATCHED.map((ref) => [ref, imageId(ref)]));
      const earlier = new Set(buildContainers().map((c) => c.id));
      const t0 = Date.now();
      const build = execa(process.execPath, [LAB_CLI, 'image', 'build', '--only', 'node', '--node-tag', CANDIDATE_TAG], {
        env: { KINDLAB_HOME: home },
        reject: false,
        stdin: 'ignore',
        timeout: 10 * 60_000,
      });

      // The container exists from `docker create` on; wait until it runs (containerd is started next).
      const deadline = Date.now() + 5 * 60_000;
      let ours: ReturnType<typeof buildContainers> = [];
      while (!ours.some((c) => c.state === 'running')) {
        if (build.exitCode !== undefined && build.exitCode !== null)
          throw new Error(`the build ended before its container ran:\n${String((await build).stderr)}`);
        if (Date.now() > deadline) throw new Error(`no running build container after 5 min; last seen: ${JSON.stringify(ours)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
        ours = buildContainers().filter((c) => !earlier.has(c.id));
      }
      const running = Date.now();
      expect(existsSync(paths.preloadDir()), 'the preload directory exists while the container runs').toBe(true);
      if (signal === 'SIGINT') {
        // A second build in the same KINDLAB_HOME refuses while this one runs, and creates nothing.
        const second = await execa(process.execPath, [LAB_CLI, 'image', 'build', '--only', 'node', '--node-tag', CANDIDATE_TAG], {
          env: { KINDLAB_HOME: home },
          reject: false,
          stdin: 'ignore',
          timeout: 60_000,
        });
        expect(second.exitCode, String(second.stderr)).toBe(1);
        expect(String(second.stderr)).toMatch(/^error: another lab image build is running in this KINDLAB_HOME: build [0-9a-f]{8} \(pid \d+\)/m);
        expect(buildContainers().filter((c) => !earlier.has(c.id))).toHaveLength(1);
      }
      const signalled = Date.now();
      build.kill(signal);
      const result = await build;
      console.log(
        `${signal}: container running after ${((running - t0) / 1000).toFixed(1)}s, exit ${result.exitCode} ${((Date.now() - signalled) / 1000).toFixed(1)}s after the signal`,
      );

      expect(result.exitCode, String(result.stderr)).toBe(exitCode);
      expect(String(result.stderr)).toContain(`lab image build interrupted by ${signal}`);
      expect(buildContainers().filter((c) => ours.some((o) => o.run === c.run))).toEqual([]);
      expect(existsSync(paths.preloadDir())).toBe(false);
      expect(existsSync(paths.lock())).toBe(false);
      expect(readdirSync(join(home, 'image-build'))).toEqual([]);
      expect(new Map(WATCHED.map((ref) => [ref, imageId(ref)]))).toEqual(before);
      expect(imageId(CANDIDATE_TAG)).toBeUndefined();
    });
  }
});
