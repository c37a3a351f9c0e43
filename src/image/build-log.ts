import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

/** A long step's output goes to a file (the path is shown when the step fails), not to the terminal. */
export interface BuildLog {
  readonly path: string;
  line(text: string): void;
  close(): Promise<void>;
}

export function openBuildLog(path: string): BuildLog {
  mkdirSync(dirname(path), { recursive: true });
  const stream: WriteStream = createWriteStream(path, { flags: 'w' });
  return {
    path,
    line: (text) => {
      stream.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    close: () => new Promise((resolve) => stream.end(resolve)),
  };
}
