/** Prefixes every line of `text` with `spaces` spaces (empty lines too, as both callers always did). */
export function indentLines(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => `${pad}${line}`)
    .join('\n');
}
