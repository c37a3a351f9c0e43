import type { CommandRunner } from '../common/command-runner.js';
import type { DockerdProcess } from './dockerd-process.js';
import type { HostFilesystem } from './host-filesystem.js';

/** The outside edges every host step uses; unit tests replace each with a fake. */
export interface HostEdges {
  runner: CommandRunner;
  fs: HostFilesystem;
  dockerd: DockerdProcess;
  isRoot: boolean;
}
