import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { CommandRunner } from '../common/command-runner.js';
import { checkOutputFile } from '../common/check-output-path.js';
import { KindlabError, UsageError } from '../common/kindlab-error.js';
import { IMAGE_RECIPE_HASH_LABEL } from '../common/labels.js';
import { defaultDockerCli } from '../docker/default-docker-cli.js';
import type { BuildStage } from './build-stages.js';
import {
  bundleImageStages,
  BUNDLE_IMAGES_MEMBER,
  BUNDLE_MANIFEST_MEMBER,
  newBundleManifest,
  type BundleImage,
  type ImageBundleManifest,
} from './image-bundle-manifest.js';
import { findStage } from './image-recipes.js';
import { sha256File } from './sha256-file.js';

/** One step of save or load; run() returns a one-line summary for progress output. */
export interface BundleStep {
  title: string;
  run(): Promise<string>;
}

export interface ImageBundleSaveResult {
  path: string;
  bytes: number;
  seconds: number;
  compression: BundleCompression;
  manifest: ImageBundleManifest;
}

/**
 * zstd at level 1 with both cores: measured on the 887 MB of the three images (2 cores, busy
 * host) it compresses 2-3 times faster than gzip -1 to a smaller file; see README. GNU tar runs
 * zstd itself; the level and threads go through zstd's environment variables, not a shell string.
 */
export type BundleCompression = 'zstd';
const COMPRESSION_ENV = { ZSTD_CLEVEL: '1', ZSTD_NBTHREADS: '0' };

export interface SaveImageBundleOptions {
  out: string;
  force: boolean;
  stages: readonly BuildStage[];
  /** Scratch space for the image tar (about the images' size), removed at the end. */
  workDir: string;
  kindlabVersion: string;
  /** Also the pod image of `lab up --host-cluster` (`--hosted`). */
  hosted?: boolean;
  now?: () => Date;
  signal?: AbortSignal;
}

/**
 * `lab image save`: the output path is checked before anything runs (exists without --force,
 * a directory, an unwritable parent). The archive is written beside the target and renamed into
 * place, so an interrupted save leaves no half archive under the name.
 */
export function planImageBundleSave(runner: CommandRunner, options: SaveImageBundleOptions): { steps: BundleStep[]; result(): ImageBundleSaveResult } {
  const out = checkOutputFile(options.out, '--out');
  if (existsSync(out) && !options.force)
    throw new UsageError(`invalid --out ${JSON.stringify(options.out)}: the file exists`, { hint: 'pass --force to replace it, or choose another path' });
  const docker = defaultDockerCli(runner);
  const started = Date.now();
  let images: BundleImage[] = [];
  let scratch: string | undefined;
  let manifest: ImageBundleManifest | undefined;
  let bytes = 0;
  const steps: BundleStep[] = [
    {
      title: 'Find the images a lab needs',
      run: async () => {
        images = await Promise.all(
          bundleImageStages(options.hosted ?? false).map(async ({ role, stage: name }) => {
            const stage = findStage(options.stages, name);
            const refs = stage.kind === 'image' ? [...stage.refs] : stage.kind === 'node' ? [stage.ref] : [];
            const info = await docker.imageInfo(refs[0] ?? '');
            const recipeHash = info?.labels[IMAGE_RECIPE_HASH_LABEL];
            if (!info || !recipeHash)
              throw new KindlabError(
                `failed to save the image bundle: ${refs[0]} (${role}) is ${info ? 'not built by `lab image build` (no recipe hash label)' : 'not present'}`,
                {
                  hint: `run \`lab image build\` first (\`lab image list\` shows what is missing)`,
                },
              );
            return { role, stage: name, refs, id: info.id, recipeHash, sizeBytes: info.sizeBytes };
          }),
        );
        return images.map((i) => `${i.refs[0]} ${i.recipeHash}`).join(', ');
      },
    },
    {
      title: 'Save them with docker save',
      run: async () => {
        await mkdir(options.workDir, { recursive: true });
        scratch = await mkdtemp(join(options.workDir, 'bundle-save-'));
        const tar = join(scratch, BUNDLE_IMAGES_MEMBER);
        try {
          await runner.run('docker', ['save', '-o', tar, ...images.flatMap((i) => i.refs)], { signal: options.signal });
          const member = await sha256File(tar, options.signal);
          manifest = newBundleManifest(images, [{ path: BUNDLE_IMAGES_MEMBER, ...member }], options.kindlabVersion, (options.now ?? (() => new Date()))());
          await writeFile(join(scratch, BUNDLE_MANIFEST_MEMBER), `${JSON.stringify(manifest, null, 2)}\n`);
          return `${BUNDLE_IMAGES_MEMBER} ${member.bytes} bytes, sha256 ${member.sha256.slice(0, 12)}`;
        } catch (error) {
          await rm(scratch, { recursive: true, force: true });
          throw error;
        }
      },
    },
    {
      title: `Write ${basename(out)} (tar, zstd)`,
      run: async () => {
        const dir = required(scratch, 'save');
        const partial = `${out}.partial`;
        try {
          // The manifest first: `lab image load` reads it alone before unpacking the images.
          await runner.run('tar', ['--zstd', '-cf', partial, '-C', dir, BUNDLE_MANIFEST_MEMBER, BUNDLE_IMAGES_MEMBER], {
            env: COMPRESSION_ENV,
            signal: options.signal,
          });
          // Images hold no secrets; readable by all, writable by the owner only (never world-writable).
          await chmod(partial, 0o644);
          await rename(partial, out);
        } catch (error) {
          await rm(partial, { force: true });
          throw new KindlabError(`failed to write the image bundle ${out}`, { cause: error, hint: 'tar needs zstd on PATH (Debian: apt-get install zstd)' });
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
        bytes = (await stat(out)).size;
        return `${bytes} bytes`;
      },
    },
  ];
  return {
    steps,
    result: () => ({ path: out, bytes, seconds: (Date.now() - started) / 1000, compression: 'zstd', manifest: required(manifest, 'save') }),
  };
}

export function required<T>(value: T | undefined, step: string): T {
  if (value === undefined) throw new Error(`image bundle step "${step}" has not run`);
  return value;
}
