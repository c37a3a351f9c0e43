const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote one argument for display, so a failed command can be pasted into a POSIX shell. */
export function shellQuote(arg: string): string {
  if (arg === '') return "''";
  if (SAFE.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The command line as a user would paste it. Only for messages: commands always run from argv arrays. */
export function formatCommand(command: string, args: readonly string[]): string {
  return [command, ...args].map(shellQuote).join(' ');
}
