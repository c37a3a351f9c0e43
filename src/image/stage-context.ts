import type { CommandRunner } from '../common/command-runner.js';
import type { BuildLog } from './build-log.js';
import type { BuildPaths } from './build-paths.js';
import type { BuildStage } from './build-stages.js';

/** What every stage builder gets: tools, where things are, and the hashes of all stages. */
export interface StageContext {
  runner: CommandRunner;
  imagesDir: string;
  paths: BuildPaths;
  stages: readonly BuildStage[];
  hashes: ReadonlyMap<string, string>;
  log: BuildLog;
  /** This build's id: in build container names and labels, so builds from two homes on one daemon never collide. */
  runId: string;
  /** RUN_OWNER_ANNOTATION value of this process: a later build removes this build's container only once it is gone. */
  owner?: string;
  /** Aborted on SIGINT/SIGTERM: the running subprocess is killed, and each builder removes what it made. */
  signal?: AbortSignal;
  /** Reports a sub-step ("debootstrap", "docker import") to the progress display. */
  progress?: (message: string) => void;
}

export function hashOf(ctx: Pick<StageContext, 'hashes'>, stage: string): string {
  const hash = ctx.hashes.get(stage);
  if (!hash) throw new Error(`no recipe hash for stage ${stage}`);
  return hash;
}
