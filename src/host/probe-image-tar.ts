const BLOCK = 512;

export interface TarEntry {
  path: string;
  mode: number;
  /** Absent for directories. */
  bytes?: Buffer;
}

/**
 * A POSIX ustar archive, enough for `docker import`: the probe image is one static busybox,
 * built in-process so preparing the host needs neither a registry nor a tar binary.
 */
export function buildTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const isDirectory = entry.bytes === undefined;
    const size = entry.bytes?.length ?? 0;
    parts.push(tarHeader(isDirectory ? `${entry.path.replace(/\/$/, '')}/` : entry.path, entry.mode, size, isDirectory ? '5' : '0'));
    if (entry.bytes) {
      parts.push(entry.bytes);
      const padding = (BLOCK - (size % BLOCK)) % BLOCK;
      if (padding) parts.push(Buffer.alloc(padding));
    }
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

/** The probe image's root filesystem: /bin/busybox and nothing else. */
export function buildProbeImageTar(busybox: Buffer): Buffer {
  return buildTar([
    { path: 'bin', mode: 0o755 },
    { path: 'bin/busybox', mode: 0o755, bytes: busybox },
  ]);
}

function tarHeader(path: string, mode: number, size: number, typeflag: string): Buffer {
  if (Buffer.byteLength(path) > 100) throw new Error(`failed to add ${path} to the tar: name longer than 100 bytes`);
  const header = Buffer.alloc(BLOCK);
  header.write(path, 0, 100, 'utf8');
  writeOctal(header, 100, 8, mode);
  writeOctal(header, 108, 8, 0);
  writeOctal(header, 116, 8, 0);
  writeOctal(header, 124, 12, size);
  // A fixed mtime keeps the archive, and so the imported layer, reproducible.
  writeOctal(header, 136, 12, 0);
  header.fill(' ', 148, 156);
  header.write(typeflag, 156, 1, 'ascii');
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  header.write('root', 265, 32, 'ascii');
  header.write('root', 297, 32, 'ascii');
  let checksum = 0;
  for (const byte of header) checksum += byte;
  header.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return header;
}

function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  header.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}
