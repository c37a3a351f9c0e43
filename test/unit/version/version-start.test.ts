import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
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

  it('imports commander in one place only (src/cli/commander.ts), which the bundle inlines', () => {
    expect(loaded).toContain('src/cli/commander.ts');
  });
});

describe('the shipped lab: the bundle of scripts/bundle-cli.mjs, built in memory', () => {
  it('inlines commander, and lab version loads no chunk with subprocess, Docker or schema code', async () => {
    const script = pathToFileURL(join(ROOT, 'scripts', 'bundle-cli.mjs')).href;
    const { bundleOptions } = (await import(script)) as { bundleOptions: (root: string) => BuildOptions };
    const { metafile } = await build({ ...bundleOptions(ROOT), write: false, metafile: true, sourcemap: false, logLevel: 'silent' });
    const outputs = metafile.outputs;
    const externals = Object.values(outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
    expect(externals).not.toContain('commander');
    expect(externals).toContain('node:child_process');

    // What `lab version` loads: the entry's static imports, then the version command's chunk and its static imports.
    const byEntry = (entry: string) => Object.keys(outputs).find((path) => outputs[path]!.entryPoint === entry)!;
    const loadedOutputs = new Set<string>();
    const load = (path: string): void => {
      if (loadedOutputs.has(path)) return;
      loadedOutputs.add(path);
      for (const i of outputs[path]!.imports) if (!i.external && i.kind === 'import-statement') load(i.path);
    };
    load(byEntry('src/cli/main.ts'));
    load(byEntry('src/cli/version-command.ts'));
    const inputs = [...loadedOutputs].flatMap((path) => Object.keys(outputs[path]!.inputs));
    expect(inputs).toContain('node_modules/commander/lib/command.js');
    expect(inputs).toContain('src/host/kind-version-of.ts');
    expect(inputs.filter((i) => i.includes('command-runner') || i.startsWith('src/docker/') || i.includes('schema'))).toEqual([]);
  }, 60_000);
});
