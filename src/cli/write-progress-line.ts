/** A progress line of a long command (`lab stop`, `lab start`) on stderr, so stdout keeps only the result. */
export function writeProgressLine(line: string): void {
  process.stderr.write(`  ${line}\n`);
}
