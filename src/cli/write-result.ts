/** Prints a command's result: one JSON line for `--output json` (scripts parse it), else the text for people. */
export function writeResult<T>(json: boolean, result: T, text: (result: T) => string): void {
  process.stdout.write(json ? `${JSON.stringify(result)}\n` : text(result));
}
