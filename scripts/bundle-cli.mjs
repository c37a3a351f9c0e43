// Bundles the CLI into dist/bin/: `lab` is one entry file plus chunks per lazily loaded command, so a
// short command reads a dozen small files instead of a module graph, and commander's CommonJS is
// inlined instead of translated at every start (bench/cold-start.ts: `lab --help` and `lab version`
// within 1.5x `node -e 0`). dist/src/ (tsc) stays for the benches and the browser page.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** esbuild's options for the bundle of the project at `root` (the unit test builds them in memory). */
export function bundleOptions(root) {
  return {
    absWorkingDir: root,
    entryPoints: ['src/cli/main.ts'],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: join(root, 'dist', 'bin'),
    sourcemap: true,
    logLevel: 'warning',
    // Bundled CommonJS dependencies (commander, js-yaml) call require() for Node's own modules; an ES module has none.
    banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
    // Loaded with createRequire at run time by file path (elkjs's browser bundle is also served to the live page).
    external: ['ajv', 'elkjs'],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const options = bundleOptions(root);
  rmSync(options.outdir, { recursive: true, force: true });
  await build(options);
}
