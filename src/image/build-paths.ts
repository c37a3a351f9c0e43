import { join } from 'node:path';

/** Where `lab image build` keeps its outputs and logs, all under kindlabHome() (never in the repo). */
export interface BuildPaths {
  goOutput(stage: string): string;
  rootfsWorkDir(stage: string): string;
  buildContext(stage: string): string;
  preloadDir(): string;
  aptCache(): string;
  log(stage: string): string;
  lastBuildReport(): string;
  /** Held for the whole build (src/image/build-lock.ts). */
  lock(): string;
}

export function buildPaths(home: string): BuildPaths {
  const build = join(home, 'image-build');
  return {
    goOutput: (stage) => join(build, 'go', stage),
    rootfsWorkDir: (stage) => join(build, 'rootfs', stage),
    buildContext: (stage) => join(build, 'context', stage),
    preloadDir: () => join(build, 'preload'),
    aptCache: () => join(build, 'apt-cache'),
    log: (stage) => join(home, 'logs', 'image-build', `${stage}.log`),
    lastBuildReport: () => join(build, 'last-build.json'),
    lock: () => join(build, 'build.lock'),
  };
}
