/** One step of `lab image build`. Each is skipped when its output carries the hash of its recipe. */
export type BuildStage = GoStage | RootfsStage | ImageStage | NodeStage;

export interface GoBinaryGroup {
  packages: readonly string[];
  cgo: boolean;
}

/** Static (or cgo) Go binaries from a wrapper module under images/, into a directory under kindlabHome(). */
export interface GoStage {
  kind: 'go';
  name: string;
  title: string;
  /** Relative to images/: holds go.mod, go.sum and any main.go of ours. */
  moduleDir: string;
  groups: readonly GoBinaryGroup[];
  tags: readonly string[];
  ldflags: string;
  /** Go names a binary after its package path; some need the upstream name. */
  renames?: Readonly<Record<string, string>>;
}

/** A Debian root file system from debootstrap, imported as a Docker image. */
export interface RootfsStage {
  kind: 'rootfs';
  name: string;
  title: string;
  ref: string;
  suite: string;
  /** Relative to images/. One package per line, # comments. */
  packagesFile: string;
  /** Relative to images/: copied over the debootstrapped tree before finalizing. */
  overlayDir?: string;
  /** Relative to images/: run as `bash <script> <rootfs>`. */
  finalizeScript: string;
  /** `docker import --change` lines (import takes no STOPSIGNAL; Dockerfiles on top set it). */
  importChanges: readonly string[];
}

/** A `docker build` of images/<recipeDir>/Dockerfile over a context assembled from recipes and binaries. */
export interface ImageStage {
  kind: 'image';
  name: string;
  title: string;
  /** The first is the reference the image is found and pre-imported by; the rest are extra tags. */
  refs: readonly string[];
  recipeDir: string;
  /** Files of recipeDir copied into the build context, besides the Dockerfile. */
  contextFiles: readonly string[];
  /** Binaries copied from Go stages into the build context. */
  binaries: readonly { stage: string; file: string }[];
  /** Small files written into the context (e.g. /kind/version). */
  generatedFiles?: Readonly<Record<string, string>>;
  /** Stage whose image is passed as --build-arg BASE. */
  base?: string;
  kubernetesVersion?: string;
}

/** The node image: a staging image with every component image imported into its containerd, committed. */
export interface NodeStage {
  kind: 'node';
  name: string;
  title: string;
  ref: string;
  base: string;
  /** Image stages whose first ref is imported into containerd's k8s.io namespace. */
  preload: readonly string[];
  kubernetesVersion: string;
}

export function stageOutputRef(stage: BuildStage): string | undefined {
  switch (stage.kind) {
    case 'go':
      return undefined;
    case 'rootfs':
    case 'node':
      return stage.ref;
    case 'image':
      return stage.refs[0];
  }
}

/** Stages whose outputs this stage consumes; their hashes are part of its own. */
export function stageDependencies(stage: BuildStage): string[] {
  switch (stage.kind) {
    case 'go':
    case 'rootfs':
      return [];
    case 'image':
      return [...new Set([...(stage.base ? [stage.base] : []), ...stage.binaries.map((b) => b.stage)])];
    case 'node':
      return [stage.base, ...stage.preload];
  }
}
