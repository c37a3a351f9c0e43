/** The value after `name` on the bench's command line (`--pairs 3`), else `fallback`. */
export function cliFlag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
}
