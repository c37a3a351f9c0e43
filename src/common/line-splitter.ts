import { StringDecoder } from 'node:string_decoder';

export interface LineSplitter {
  push(chunk: Buffer): void;
  /** Hands over a last line that has no newline. */
  end(): void;
}

/**
 * Calls onLine with each complete line of a byte stream: a line split over two chunks is joined, a
 * character split over two chunks is decoded whole, and a trailing CR is dropped.
 */
export function lineSplitter(onLine: (line: string) => void): LineSplitter {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const emit = (line: string) => onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  return {
    push(chunk) {
      const lines = (pending + decoder.write(chunk)).split('\n');
      pending = lines.pop()!;
      lines.forEach(emit);
    },
    end() {
      pending += decoder.end();
      if (pending) emit(pending);
      pending = '';
    },
  };
}
