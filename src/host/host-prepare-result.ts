import type { CgroupLayout } from './detect-cgroup-mode.js';
import type { InotifyLimits } from './inotify-need.js';

/** What `lab host prepare` found and what it changed; the CLI renders it, --json prints it. */
export interface HostPrepareResult {
  /** --dry-run: `changes` say what would change, and nothing did. */
  dryRun: boolean;
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
  /** undefined in a dry run on a host where no dockerd runs yet. */
  serverVersion: string | undefined;
  /** True when this run installed Debian's docker.io. */
  installed: boolean;
  /** True when this run started dockerd. */
  started: boolean;
  logFile: string | undefined;
  defaultRuntime: string | undefined;
  rootDir: string | undefined;
}

export interface PrivilegedState {
  /** undefined in a dry run, which imports nothing. */
  probeImage: string | undefined;
  /** Privileged run and exec work (after any fix this run made); undefined: not probed (dry run). */
  ok: true | undefined;
  /** What failed before the wrapper was installed, when it did fail in this run. */
  failureBefore: string | undefined;
  /** Capabilities the host bounding set lacks (from /proc/self/status and cap_last_cap). */
  missingCapabilities: string[];
  wrapper: RuntimeWrapperState | undefined;
}

export interface RuntimeWrapperState {
  runtimeName: string;
  path: string;
  /** The runtime the wrapper execs after filtering capabilities (Docker's previous default). */
  wraps: string;
  /** 'installed' this run, 'updated' to a new build, or 'unchanged'. */
  action: 'installed' | 'updated' | 'unchanged';
  /** Why the wrapper exists, in one sentence for the user. */
  reason: string;
  daemonJson: string;
  /** How dockerd picked up daemon.json in this run: SIGHUP reload, or a restart the user allowed. */
  dockerdReload: 'sighup' | 'restart' | undefined;
}
