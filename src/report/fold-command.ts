/**
 * Folds a command line between its arguments: the first line holds at most `width` characters,
 * the others `restWidth`. An argument longer than a line keeps a line of its own rather than being
 * cut, so paths and flags stay copyable.
 */
export function foldCommand(text: string, width: number, restWidth = width): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const limit = lines.length === 0 ? width : restWidth;
    const candidate = line === '' ? word : `${line} ${word}`;
    if (candidate.length <= limit || line === '') {
      line = candidate;
      continue;
    }
    lines.push(line);
    line = word;
  }
  lines.push(line);
  return lines;
}

/** Wraps prose at spaces. */
export function wrapText(text: string, width: number): string[] {
  return foldCommand(text, width);
}
