import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LAB_CLI } from './run-lab.js';

export interface WatchedRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  events: Array<Record<string, unknown>>;
  stderr: string;
  /** The event that triggered `interruptWhen`, if it fired. */
  trigger: Record<string, unknown> | undefined;
  seconds: number;
}

export interface WatchOptions {
  env?: Record<string, string>;
  /** Sends SIGINT at the first event that matches (once). */
  interruptWhen?: (event: Record<string, unknown>) => boolean;
  /** Called for every event as it arrives. */
  onEvent?: (event: Record<string, unknown>) => void;
}

/**
 * Runs `lab ... --json` and reads its events as they arrive, so a test can act at an exact step
 * (send SIGINT, start a competitor) instead of after a guessed delay.
 */
export function watchLab(args: readonly string[], options: WatchOptions = {}): Promise<WatchedRun> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [LAB_CLI, ...args], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const events: Array<Record<string, unknown>> = [];
  let stderr = '';
  let pending = '';
  let trigger: Record<string, unknown> | undefined;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim().startsWith('{')) continue;
      const event = JSON.parse(line) as Record<string, unknown>;
      events.push(event);
      options.onEvent?.(event);
      if (!trigger && options.interruptWhen?.(event)) {
        trigger = event;
        child.kill('SIGINT');
      }
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal, events, stderr, trigger, seconds: (Date.now() - t0) / 1000 }));
  });
}

/** Names of containers and volumes carrying dev.kindlab.run=<runId>. */
export function runResources(runId: string): { containers: string[]; volumes: string[]; networks: string[] } {
  const list = (args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
  const filter = `label=dev.kindlab.run=${runId}`;
  return {
    containers: list(['ps', '-a', '--filter', filter, '--format', '{{.Names}}']),
    volumes: list(['volume', 'ls', '--filter', filter, '--format', '{{.Name}}']),
    networks: list(['network', 'ls', '--filter', filter, '--format', '{{.Name}}']),
  };
}

/** The run id a `lab up --json` run announced in its claim step ("run <id>"). */
export function runIdOf(events: ReadonlyArray<Record<string, unknown>>): string | undefined {
  const line = events.find((e) => e.event === 'output' && e.step === 'claim' && /^run [0-9a-f]{8}$/.test(String(e.line)));
  return line ? String(line.line).slice(4) : undefined;
}

/** Lab names of one e2e file: `<prefix>-<suffix>`, the prefix from KINDLAB_E2E_PREFIX (default e2e) for shared daemons. */
export function e2eLabName(suffix: string): string {
  return `${process.env.KINDLAB_E2E_PREFIX ?? 'e2e'}-${suffix}`;
}

/**
 * Environment for a run from another KINDLAB_HOME (another user or CI job). kind is looked up in
 * $KINDLAB_HOME/bin too, so keep pointing at the kind host prepare installed for the default home.
 */
export function homeEnv(home: string): Record<string, string> {
  const kind = process.env.KINDLAB_KIND ?? join(process.env.HOME ?? homedir(), '.cache', 'kindlab', 'bin', 'kind');
  return { KINDLAB_HOME: home, ...(existsSync(kind) ? { KINDLAB_KIND: kind } : {}) };
}
