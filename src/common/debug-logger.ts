import { createRequire } from 'node:module';
import type { inspect as Inspect } from 'node:util';

export type DebugLogger = (message: string, ...details: unknown[]) => void;

const require = createRequire(import.meta.url);

/**
 * Library code never prints; diagnostics go here and appear on stderr only with
 * KINDLAB_DEBUG=1 (or a comma-separated list of namespaces) or `lab --debug`.
 */
export function createDebugLogger(namespace: string): DebugLogger {
  return (message, ...details) => {
    const setting = process.env.KINDLAB_DEBUG;
    if (!setting) return;
    if (setting !== '1' && setting !== '*' && !setting.split(',').includes(namespace)) return;
    // node:util required here, not imported: importing a Node module costs about half a millisecond
    // of every start (bench/cold-start.ts), and only a command that logs needs inspect().
    const inspect = (require('node:util') as { inspect: typeof Inspect }).inspect;
    const extra = details.map((d) => (typeof d === 'string' ? d : inspect(d, { depth: 4 }))).join(' ');
    // Milliseconds since the process started: where a slow command spends its time shows at a glance.
    // The global `performance`, not an import of node:perf_hooks: Node loads it on first use, so a
    // command that logs nothing does not load it (about ten internal modules at every start).
    process.stderr.write(`[kindlab:${namespace} +${Math.round(performance.now())}ms] ${message}${extra ? ` ${extra}` : ''}\n`);
  };
}
