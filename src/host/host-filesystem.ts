/** What `lstat` says about a path, for ownership and mode checks. */
export interface PathStat {
  uid: number;
  /** Permission bits plus setuid/setgid/sticky (mode & 0o7777). */
  mode: number;
  isDirectory: boolean;
  isSymbolicLink: boolean;
}

/** The host files `lab host prepare` reads and changes, behind one interface so unit tests use a fake. */
export interface HostFilesystem {
  /** undefined when the file does not exist. */
  readText(path: string): Promise<string | undefined>;
  readBytes(path: string): Promise<Buffer | undefined>;
  writeText(path: string, text: string): Promise<void>;
  writeBytes(path: string, bytes: Buffer): Promise<void>;
  /**
   * Writes a temporary file next to `path` with `mode`, then renames it over `path`: readers
   * (dockerd, the containerd shim) see the old or the new content, never half of it.
   */
  writeAtomic(path: string, bytes: Buffer, mode: number): Promise<void>;
  /** undefined when nothing is at `path`; symbolic links are not followed. */
  stat(path: string): Promise<PathStat | undefined>;
  /** Removes a file; no error when it is already gone. */
  remove(path: string): Promise<void>;
  /** Removes a directory only when it is empty; true when it did. */
  removeEmptyDir(path: string): Promise<boolean>;
  exists(path: string): Promise<boolean>;
  mkdirp(path: string, mode?: number): Promise<void>;
  /** Bytes free for an unprivileged user on the filesystem holding `path`. */
  freeBytes(path: string): Promise<number>;
  /** The first executable `name` on PATH. */
  findExecutable(name: string): Promise<string | undefined>;
  /** Reads every regular file under `dir`, sorted by relative path (for content hashes). */
  readTree(dir: string): Promise<{ path: string; bytes: Buffer }[]>;
}
