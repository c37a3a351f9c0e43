/** Starting and signalling dockerd: the one thing here that cannot go through a CommandRunner. */
export interface DockerdProcess {
  /** Starts dockerd detached with `args`, so it outlives `lab`, with stdout and stderr appended to logFile. */
  start(logFile: string, args: readonly string[]): Promise<number>;
  /** The pid of the running dockerd, from its pid file. */
  pid(pidFile: string): Promise<number | undefined>;
  /** SIGHUP: dockerd reloads daemon.json (runtimes and default-runtime are reloadable). */
  reload(pid: number): void;
  /** SIGTERM, then waits for the process to exit. Only on --restart-docker. */
  stop(pid: number, timeoutMs: number, signal?: AbortSignal): Promise<void>;
}
