// Brings out/ up to date with src/ and test/ for the fast layers: each .ts file newer than its .js (or without one) is
// transpiled on its own by esbuild (no type check; all of them take about a second), to the same paths `tsc -p .`
// writes, with source maps for breakpoints. Compiled files whose .ts source is gone are removed, so a deleted or moved
// test never runs from a stale .js. Type errors are for `npm run typecheck` / `npm run compile` (`npm test` runs it).
// Each file is transpiled in isolation, so only a changed file needs it (the project has no const enums).
//
//   node test/tools/transpile.mjs [--quiet]
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const roots = ['src', 'test'];
const started = Date.now();

/** The .ts files under the roots (declaration files emit nothing). */
function sources() {
  return roots.flatMap((folder) =>
    readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
      .map((entry) => relative(root, join(entry.parentPath ?? entry.path, entry.name))),
  );
}

/** Removes out/{src,test}/**.js (and .js.map) whose .ts source no longer exists. */
function pruneStale() {
  let removed = 0;
  for (const folder of roots) {
    const outDir = join(root, 'out', folder);
    if (!existsSync(outDir)) {
      continue;
    }
    for (const entry of readdirSync(outDir, { recursive: true, withFileTypes: true })) {
      const match = /^(.*)\.js(\.map)?$/.exec(entry.name);
      if (!entry.isFile() || !match) {
        continue;
      }
      const output = join(entry.parentPath ?? entry.path, entry.name);
      const source = join(root, relative(join(root, 'out'), join(entry.parentPath ?? entry.path, `${match[1]}.ts`)));
      if (!existsSync(source)) {
        rmSync(output);
        removed++;
      }
    }
  }
  return removed;
}

/** Whether out/<file>.js is missing or older than <file>.ts. */
function outdated(source) {
  const output = join(root, 'out', source.replace(/\.ts$/, '.js'));
  return !existsSync(output) || statSync(output).mtimeMs < statSync(join(root, source)).mtimeMs;
}

const all = sources();
const entryPoints = all.filter(outdated);
const removed = pruneStale();
if (entryPoints.length > 0) {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints,
    outdir: 'out',
    outbase: '.',
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'warning',
  });
}
if (!process.argv.includes('--quiet')) {
  const stale = removed ? `, ${removed} stale output files removed` : '';
  console.log(
    `out/ is up to date: ${entryPoints.length} of ${all.length} TypeScript files transpiled in ${Date.now() - started} ms (esbuild, no type check${stale}).`,
  );
}
