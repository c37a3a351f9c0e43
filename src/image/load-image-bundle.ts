import { accessSync, constants, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { CommandRunner } from '../common/command-runner.js';
import { InvalidFileError } from '../common/invalid-file-error.js';
import { KindlabError, UsageError } from '../common/kindlab-error.js';
import { IMAGE_RECIPE_HASH_LABEL } from '../common/labels.js';
import { schemaErrors, schemaHint } from '../common/validate-with-schema.js';
import { makePrivateDirectory, writePrivateFile } from '../common/write-private-file.js';
import { defaultDockerCli } from '../docker/default-docker-cli.js';
import { BUNDLE_IMAGES_MEMBER, BUNDLE_MANIFEST_MEMBER, type ImageBundleManifest } from './image-bundle-manifest.js';
import { loadedBundleRecordPath } from './loaded-bundle-record.js';
import { required, type BundleStep } from './save-image-bundle.js';
import { sha256File } from './sha256-file.js';

export interface LoadImageBundleOptions {
  file: string;
  /** Scratch space for the unpacked image tar, removed at the end. */
  workDir: string;
  /** KINDLAB_HOME: where the loaded bundle is recorded. */
  home: string;
  now?: () => Date;
  signal?: AbortSignal;
}

export interface ImageBundleLoadResult {
  file: string;
  seconds: number;
  /** Where the load is recorded (KINDLAB_HOME). */
  record: string;
  manifest: ImageBundleManifest;
}

/**
 * `lab image load FILE`: the manifest is read and checked first (schema), then the images are
 * unpacked and checked against it (sha256 of each member), loaded, and found on the daemon with
 * the ids the manifest names. The record in KINDLAB_HOME says which bundle the images came from.
 * `lab up` needs nothing more: it runs the node image (and load balancer, external etcd) when
 * present and never builds.
 */
export function planImageBundleLoad(runner: CommandRunner, options: LoadImageBundleOptions): { steps: BundleStep[]; result(): ImageBundleLoadResult } {
  const file = checkInputFile(options.file);
  const docker = defaultDockerCli(runner);
  const started = Date.now();
  let scratch: string | undefined;
  let manifest: ImageBundleManifest | undefined;
  const record = loadedBundleRecordPath(options.home);
  const cleanUp = async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  };
  const steps: BundleStep[] = [
    {
      title: `Read ${BUNDLE_MANIFEST_MEMBER}`,
      run: async () => {
        await mkdir(options.workDir, { recursive: true });
        scratch = await mkdtemp(join(options.workDir, 'bundle-load-'));
        try {
          // GNU tar finds the compression by itself; --occurrence stops at the first (leading) member.
          await runner.run('tar', ['-xf', file, '-C', scratch, '--occurrence=1', BUNDLE_MANIFEST_MEMBER], { signal: options.signal });
        } catch (cause) {
          await cleanUp();
          throw new UsageError(`invalid FILE ${JSON.stringify(options.file)}: not a kindlab image bundle (no ${BUNDLE_MANIFEST_MEMBER} in it)`, {
            cause,
            hint: 'give a file written by `lab image save` (tar needs zstd on PATH: apt-get install zstd)',
          });
        }
        manifest = await readManifest(join(scratch, BUNDLE_MANIFEST_MEMBER), options.file).catch(async (error: unknown) => {
          await cleanUp();
          throw error;
        });
        return `${manifest.images.map((i) => `${i.refs[0]} ${i.recipeHash}`).join(', ')} (saved ${manifest.createdAt} by kindlab ${manifest.kindlabVersion})`;
      },
    },
    {
      title: 'Unpack and check each member (sha256)',
      run: async () => {
        const dir = required(scratch, 'read');
        const { members } = required(manifest, 'read');
        try {
          await runner.run('tar', ['-xf', file, '-C', dir, ...members.map((m) => m.path)], { signal: options.signal });
          for (const [index, member] of members.entries()) {
            const found = await sha256File(join(dir, member.path), options.signal);
            if (found.sha256 !== member.sha256 || found.bytes !== member.bytes)
              throw new UsageError(
                `invalid FILE ${JSON.stringify(options.file)}: /members/${index}/sha256: ${member.path} has sha256 ${found.sha256} (${found.bytes} bytes), the manifest says ${member.sha256} (${member.bytes} bytes)`,
                { hint: 'the file is damaged or was changed: copy it again from the machine that saved it' },
              );
          }
        } catch (error) {
          await cleanUp();
          throw error;
        }
        return members.map((m) => `${m.path} ${m.sha256.slice(0, 12)} ok`).join(', ');
      },
    },
    {
      title: 'Load the images with docker load',
      run: async () => {
        const dir = required(scratch, 'read');
        try {
          await runner.run('docker', ['load', '-i', join(dir, BUNDLE_IMAGES_MEMBER)], { signal: options.signal });
        } finally {
          await cleanUp();
        }
        const checked = await Promise.all(
          required(manifest, 'read').images.map(async (image, index) => {
            for (const ref of image.refs) {
              const info = await docker.imageInfo(ref);
              if (info?.id !== image.id || info.labels[IMAGE_RECIPE_HASH_LABEL] !== image.recipeHash)
                throw new KindlabError(
                  `failed to load the image bundle: /images/${index} ${ref} is ${info ? `${info.id} (recipe ${info.labels[IMAGE_RECIPE_HASH_LABEL] ?? 'none'})` : 'missing'} after docker load, the manifest says ${image.id} (recipe ${image.recipeHash})`,
                );
            }
            return `${image.refs[0]} ${image.id.slice(7, 19)}`;
          }),
        );
        return checked.join(', ');
      },
    },
    {
      title: 'Record the bundle',
      run: async () => {
        const loaded = { file, loadedAt: (options.now ?? (() => new Date()))().toISOString(), manifest: required(manifest, 'read') };
        makePrivateDirectory(dirname(record));
        writePrivateFile(record, `${JSON.stringify(loaded, null, 2)}\n`);
        return record;
      },
    },
  ];
  return { steps, result: () => ({ file, seconds: (Date.now() - started) / 1000, record, manifest: required(manifest, 'read') }) };
}

function checkInputFile(path: string): string {
  const target = resolve(path);
  let isFile: boolean;
  try {
    isFile = statSync(target).isFile();
    accessSync(target, constants.R_OK);
  } catch (cause) {
    throw new UsageError(`invalid FILE ${JSON.stringify(path)}: ${(cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read'}`, {
      cause,
      hint: 'give the archive `lab image save --out FILE` wrote',
    });
  }
  if (!isFile) throw new UsageError(`invalid FILE ${JSON.stringify(path)}: not a regular file`, { hint: 'give the archive `lab image save --out FILE` wrote' });
  return target;
}

async function readManifest(path: string, shown: string): Promise<ImageBundleManifest> {
  const source = `${shown} ${BUNDLE_MANIFEST_MEMBER}`;
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new UsageError(`invalid FILE ${JSON.stringify(shown)}: ${BUNDLE_MANIFEST_MEMBER} is not JSON`, { cause, hint: schemaHint('image-bundle') });
  }
  const problems = schemaErrors(data, 'image-bundle');
  if (problems.length > 0) throw new InvalidFileError(source, problems, schemaHint('image-bundle'));
  const manifest = data as ImageBundleManifest;
  if (!manifest.members.some((m) => m.path === BUNDLE_IMAGES_MEMBER))
    throw new InvalidFileError(source, [`/members names no ${BUNDLE_IMAGES_MEMBER}`], schemaHint('image-bundle'));
  return manifest;
}
