import type { CgroupLayout } from './detect-cgroup-mode.js';
import type { InotifyLimits } from './inotify-need.js';

/** What `lab host prepare` found and what it changed; the CLI renders it, --json prints it. */
export interface HostPrepareResult {
  /** False when the run changed nothing (the second run). */
  changed: boolean;
  /** Every change made, one sentence each, in order. */
  changes: string[];
  warnings: string[];
  docker: DockerDaemonState;
  privileged: PrivilegedState;
  kind: { path: string; version: string; installed: boolean };
  cgroup: CgroupLayout;
  inotify: { current: InotifyLimits; needed: InotifyLimits; raised: boolean; nodes: number };
  libModules: { path: string; existed: boolean; created: boolean };
  disk: { path: string; freeBytes: number; neededBytes: number };
  memory: { totalBytes: number; availableBytes: number; neededBytes: number };
}

export interface DockerDaemonState {
  serverVersion: string;
  /** True when this run installed Debian's docker.io. */
  installed: boolean;
  /** True when this run started dockerd. */
  started: boolean;
  logFile: string | undefined;
  defaultRuntime: string;
  rootDir: string;
}

export interface PrivilegedState {
  probeImage: string;
  /** Privileged run and exec work (after any fix this run made). */
  ok: true;
  /** What failed before the wrapper was installed, when it did fail in this run. */
  failureBefore: string | undefined;
  /** Capabilities the host bounding set lacks (from /proc/self/status and cap_last_cap). */
  missingCapabilities: string[];
  wrapper: RuntimeWrapperState | undefined;
}

export interface RuntimeWrapperState {
  runtimeName: string;
  path: string;
  sourceHash: string;
  /** 'installed' this run, 'updated' to a new build, or 'unchanged'. */
  action: 'installed' | 'updated' | 'unchanged';
  /** Why the wrapper exists, in one sentence for the user. */
  reason: string;
  daemonJson: string;
  /** How dockerd picked up daemon.json: SIGHUP reload or a restart. */
  dockerdReload: 'sighup' | 'restart' | undefined;
}
