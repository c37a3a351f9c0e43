import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The modules Node loads before a command runs: the static imports of `entry`, transitively, as tsc
 * emits them (type-only imports dropped; `await import()` is left out, it loads only on the path
 * that needs it). Project files as paths relative to the root, packages and builtins by name.
 */
function staticImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    const key = relative(ROOT, file);
    if (seen.has(key)) return;
    seen.add(key);
    const js = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    for (const [, specifier] of js.matchAll(/^import\s(?:[^'";]*?\sfrom\s)?['"]([^'"]+)['"]/gm)) {
      if (specifier!.startsWith('.')) visit(resolve(dirname(file), specifier!.replace(/\.js$/, '.ts')));
      else seen.add(specifier!);
    }
  };
  visit(join(ROOT, entry));
  return seen;
}

describe('lab version starts with what it needs', () => {
  // Each module costs about a millisecond of every `lab version` (bench/cold-start.ts: at most 1.5x `node -e 0`).
  const loaded = staticImports('src/cli/version-command.ts');

  it('finds the static imports (the walk itself works)', () => {
    expect(loaded).toContain('src/version/collect-version-info.ts');
    expect(loaded).toContain('src/host/kind-version-of.ts');
    expect(loaded).toContain('node:fs');
  });

  it('loads no subprocess code: a recorded kind version runs nothing', () => {
    expect(loaded).not.toContain('src/common/child-process-command-runner.ts');
    expect(loaded).not.toContain('src/common/command-runner.ts');
    expect(loaded).not.toContain('src/host/ensure-kind.ts');
    expect(loaded).not.toContain('node:child_process');
  });

  it('loads neither the Docker side (only with --docker) nor schema validation', () => {
    expect([...loaded].filter((m) => m.startsWith('src/docker/') || m.startsWith('src/version/ask-docker'))).toEqual([]);
    expect([...loaded].filter((m) => m.startsWith('ajv') || m.includes('schema'))).toEqual([]);
  });

  it('loads no Node module it does not use at every start (node:perf_hooks only when debugging)', () => {
    expect(loaded).not.toContain('node:perf_hooks');
    expect(loaded).not.toContain('node:fs/promises');
  });

  it('leaves the error description to failures (and --help): run-cli loads it when something throws', () => {
    const start = staticImports('src/cli/main.ts');
    expect(start).toContain('src/cli/build-program.ts');
    expect(start).not.toContain('src/cli/describe-error.ts');
  });

  it('requires commander rather than importing it (its ESM wrapper costs ~4 ms of every start)', () => {
    expect(loaded).toContain('src/cli/commander.ts');
    expect(loaded).not.toContain('commander');
  });
});
