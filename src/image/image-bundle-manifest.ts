import { KIND_VERSION, KUBERNETES_VERSION } from './image-refs.js';

export const IMAGE_BUNDLE_SCHEMA_VERSION = 'kindlab.dev/image-bundle/v1';
/** The archive's first member: `lab image load` reads it alone before unpacking the rest. */
export const BUNDLE_MANIFEST_MEMBER = 'kindlab-bundle.json';
/** `docker save` of every image in the bundle, as one tar (layers shared between images stored once). */
export const BUNDLE_IMAGES_MEMBER = 'images.tar';

export type BundleImageRole = 'node' | 'load-balancer' | 'external-etcd' | 'hosted-pod';

/** What a lab may run besides its nodes' pre-imported images, by the `lab image build` stage that makes it. */
export const BUNDLE_IMAGE_STAGES: readonly { role: BundleImageRole; stage: string }[] = [
  { role: 'node', stage: 'node' },
  { role: 'load-balancer', stage: 'haproxy' },
  { role: 'external-etcd', stage: 'etcd-image' },
];

/**
 * The pod image of `lab up --host-cluster` (Docker-in-Docker), only with `lab image save --hosted`:
 * it adds about 350 MB before compression that a participant who runs labs locally never uses.
 */
export const HOSTED_BUNDLE_IMAGE_STAGE: { role: BundleImageRole; stage: string } = { role: 'hosted-pod', stage: 'dind' };

/** The stages one bundle carries. */
export function bundleImageStages(hosted: boolean): readonly { role: BundleImageRole; stage: string }[] {
  return hosted ? [...BUNDLE_IMAGE_STAGES, HOSTED_BUNDLE_IMAGE_STAGE] : BUNDLE_IMAGE_STAGES;
}

export interface BundleImage {
  role: BundleImageRole;
  stage: string;
  /** Every tag the build gives the image (etcd has two): all come back with `docker load`. */
  refs: string[];
  /** Docker's image id (sha256 of its config): the same on every daemon that loads it. */
  id: string;
  /** The dev.kindlab.recipe-hash label the build wrote. */
  recipeHash: string;
  sizeBytes: number;
}

export interface BundleMember {
  path: string;
  sha256: string;
  bytes: number;
}

/** templates/schemas/image-bundle.schema.json */
export interface ImageBundleManifest {
  schemaVersion: typeof IMAGE_BUNDLE_SCHEMA_VERSION;
  createdAt: string;
  kindlabVersion: string;
  kubernetesVersion: string;
  kindVersion: string;
  images: BundleImage[];
  members: BundleMember[];
}

export function newBundleManifest(images: BundleImage[], members: BundleMember[], kindlabVersion: string, now: Date): ImageBundleManifest {
  return {
    schemaVersion: IMAGE_BUNDLE_SCHEMA_VERSION,
    createdAt: now.toISOString(),
    kindlabVersion,
    kubernetesVersion: KUBERNETES_VERSION,
    kindVersion: KIND_VERSION,
    images,
    members,
  };
}
