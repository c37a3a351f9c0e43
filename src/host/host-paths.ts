import { dirname, join } from 'node:path';
import { kindlabBinDir } from '../common/paths.js';

/**
 * The host files `lab host prepare` and `lab host reset` touch. The defaults are the system
 * ones; flags move them so a second dockerd (tests, a second daemon on one host) can be prepared.
 */
export interface HostPaths {
  /** dockerd's config (--config-file). */
  daemonJson: string;
  /** Where the runtime wrapper binary is installed. */
  wrapperPath: string;
  /** dockerd's --pidfile: the process a reload (SIGHUP) goes to. */
  dockerdPidFile: string;
  /** What prepare changed, so reset undoes exactly that: kindlab's own file, 0600, next to daemon.json. */
  stateFile: string;
  /** Where the wrapper is built before it is installed (checked: root-owned, not group/other-writable). */
  buildDir: string;
}

export const DEFAULT_DAEMON_JSON = '/etc/docker/daemon.json';
export const DEFAULT_WRAPPER_PATH = '/usr/local/bin/kindlab-runc';
export const DEFAULT_DOCKERD_PID_FILE = '/var/run/docker.pid';
/** Root builds here, never under $KINDLAB_HOME: with `sudo -E` that is a user's directory. */
export const ROOT_BUILD_DIR = '/var/cache/kindlab/runtime-wrapper';
export const STATE_FILE_NAME = 'kindlab-host-state.json';

export function hostPaths(overrides: Partial<Pick<HostPaths, 'daemonJson' | 'wrapperPath' | 'dockerdPidFile'>>, isRoot: boolean): HostPaths {
  const daemonJson = overrides.daemonJson ?? DEFAULT_DAEMON_JSON;
  return {
    daemonJson,
    wrapperPath: overrides.wrapperPath ?? DEFAULT_WRAPPER_PATH,
    dockerdPidFile: overrides.dockerdPidFile ?? DEFAULT_DOCKERD_PID_FILE,
    stateFile: join(dirname(daemonJson), STATE_FILE_NAME),
    buildDir: isRoot ? ROOT_BUILD_DIR : kindlabBinDir(),
  };
}
