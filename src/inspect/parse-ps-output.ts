export interface PsEntry {
  pid: number;
  ppid: number;
  args: string;
}

const ROW = /^\s*(\d+)\s+(\d+) (.*)$/;

/**
 * Parses `ps -ww -eo pid,ppid,args`. The args column is the last one, so it may contain
 * any spacing; only the two numeric columns are split off.
 */
export function parsePsOutput(text: string): PsEntry[] {
  const lines = text.split('\n');
  const header = lines.shift() ?? '';
  if (!/\bPID\b/.test(header) || !/\bPPID\b/.test(header)) {
    throw new Error(`failed to parse ps output: unexpected header ${JSON.stringify(header.slice(0, 80))}`);
  }
  const entries: PsEntry[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const match = ROW.exec(line);
    if (!match) throw new Error(`failed to parse ps output line ${JSON.stringify(line.slice(0, 120))}`);
    entries.push({ pid: Number(match[1]), ppid: Number(match[2]), args: (match[3] ?? '').trimEnd() });
  }
  return entries.sort((a, b) => a.pid - b.pid);
}
