// npm run watch: rebuilds on save, for F5 and the test layers.
// - the bundles (dist/extension.js, dist/tokenUse.js) with esbuild.mjs, whenever a file under src/ changes;
// - out/ (the tests, and src as the tests load it) with `tsc --watch`, which also reports type errors.
// `--bundles` runs only the first, `--tests` only the second (the two VS Code tasks in .vscode/tasks.json).
// The "[bundles] …" lines are what tasks.json's problem matcher waits for: keep them in step.
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const only = process.argv.includes('--bundles') ? 'bundles' : process.argv.includes('--tests') ? 'tests' : undefined;

if (only !== 'bundles') {
  const tsc = spawn(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.', '--watch', '--preserveWatchOutput'], {
    cwd: root,
    stdio: 'inherit',
  });
  tsc.on('exit', (code) => process.exit(code ?? 1));
}

if (only !== 'tests') {
  let building = false;
  let again = false;
  let timer;
  const build = () => {
    if (building) {
      again = true;
      return;
    }
    building = true;
    const started = Date.now();
    console.log('[bundles] building');
    const esbuild = spawn(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
    esbuild.on('exit', (code) => {
      building = false;
      console.log(code === 0 ? `[bundles] built in ${Date.now() - started} ms` : `[bundles] failed (esbuild exit code ${code})`);
      if (again) {
        again = false;
        build();
      }
    });
  };
  build();
  // Editors save in bursts (a rename, several files): one build per burst.
  watch(join(root, 'src'), { recursive: true }, (_event, file) => {
    if (file && /\.(ts|json)$/.test(file)) {
      clearTimeout(timer);
      timer = setTimeout(build, 150);
    }
  });
}
