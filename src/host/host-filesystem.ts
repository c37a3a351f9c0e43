/** The host files `lab host prepare` reads and changes, behind one interface so unit tests use a fake. */
export interface HostFilesystem {
  /** undefined when the file does not exist. */
  readText(path: string): Promise<string | undefined>;
  readBytes(path: string): Promise<Buffer | undefined>;
  writeText(path: string, text: string): Promise<void>;
  writeBytes(path: string, bytes: Buffer): Promise<void>;
  exists(path: string): Promise<boolean>;
  mkdirp(path: string): Promise<void>;
  /** Copies to a temporary name next to `to`, makes it executable and renames it over `to`. */
  installExecutable(from: string, to: string): Promise<void>;
  /** Bytes free for an unprivileged user on the filesystem holding `path`. */
  freeBytes(path: string): Promise<number>;
  /** The first executable `name` on PATH. */
  findExecutable(name: string): Promise<string | undefined>;
  /** Reads every regular file under `dir`, sorted by relative path (for content hashes). */
  readTree(dir: string): Promise<{ path: string; bytes: Buffer }[]>;
}
