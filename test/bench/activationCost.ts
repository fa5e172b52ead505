/**
 * Activation cost in the real host: code-server with the packaged VSIX and an empty extension installed side by
 * side, both activated on startup. VS Code itself measures each activation (code loading + activate()) and shows it
 * in "Developer: Show Running Extensions"; this reads it there, over several window loads, and writes the medians to
 * test-results/activation-bench.json for bench.ts. Not a test: it reports figures, it asserts nothing about them.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { type CodeServer, installExtension, startCodeServer } from '../host/codeServer';
import { repoRoot } from '../host/paths';
import { closeWorkbench, launchBrowser, openWorkbench } from '../host/workbench';
import { runCommand, waitForStatus } from '../host/workbenchDriver';

const WINDOW_LOADS = 5;
const EXTENSION = 'Fortellis Auth';
const EMPTY = 'Empty Extension (bench)';
const VSIX = join(repoRoot, 'dist', 'fortellis-auth.vsix');

async function main(): Promise<void> {
  const tempDir = await mkdtemp(join(tmpdir(), 'fortellis-activation-'));
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    const dirs = { userData: join(tempDir, 'user-data'), extensions: join(tempDir, 'extensions'), workspace: join(tempDir, 'workspace') };
    await mkdir(dirs.workspace, { recursive: true });
    await installExtension(VSIX, dirs.extensions, dirs.userData);
    await installExtension(await packageEmptyExtension(join(tempDir, 'empty')), dirs.extensions, dirs.userData);
    server = await startCodeServer({ userDataDir: dirs.userData, extensionsDir: dirs.extensions, smokeTestDriver: false, userSettings: { 'workbench.startupEditor': 'none' } });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 4000 } });
    const samples: Array<Record<string, number>> = [];
    for (let load = 0; load < WINDOW_LOADS; load++) {
      samples.push(await activationTimes(browser, server, context, dirs.workspace));
    }
    const result = { extensionMs: median(samples.map((s) => s[EXTENSION])), emptyMs: median(samples.map((s) => s[EMPTY])), windowLoads: WINDOW_LOADS };
    await mkdir(join(repoRoot, 'test-results'), { recursive: true });
    await writeFile(join(repoRoot, 'test-results', 'activation-bench.json'), JSON.stringify(result, null, 2));
    console.log(`Activation in code-server, median of ${WINDOW_LOADS} window loads: ${EXTENSION} ${result.extensionMs} ms, ${EMPTY} ${result.emptyMs} ms.`);
  } finally {
    await browser?.close();
    await server?.stop();
    await rm(tempDir, { recursive: true, force: true });
  }
}

/** Opens a window, waits for both extensions to activate, and reads their activation times from the Running Extensions editor. */
async function activationTimes(browser: Browser, server: CodeServer, context: BrowserContext, folder: string): Promise<Record<string, number>> {
  const workbench = await openWorkbench(browser, server, { folder, context });
  try {
    const { page } = workbench;
    await waitForStatus(page, /^Fortellis/, 60_000);
    await runCommand(page, 'Developer: Show Running Extensions', 'Show Running Extensions');
    const rows = page.locator('.runtime-extensions-editor .monaco-list-row');
    const times: Record<string, number> = {};
    for (const name of [EXTENSION, EMPTY]) {
      const text = (await rows.filter({ hasText: name }).first().innerText({ timeout: 30_000 })).replace(/\s+/g, ' ');
      const match = /Activation: (\d+(?:\.\d+)?)ms/.exec(text);
      if (!match) {
        throw new Error(`No activation time for ${name} in "${text}"`);
      }
      times[name] = Number(match[1]);
    }
    return times;
  } finally {
    await closeWorkbench(workbench);
  }
}

/** The baseline: an extension whose activate() does nothing, packaged with the same vsce. */
async function packageEmptyExtension(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const manifest = {
    name: 'empty-extension',
    displayName: EMPTY,
    description: 'Baseline for the activation benchmark.',
    publisher: 'bench',
    version: '0.0.1',
    license: 'MIT',
    engines: { vscode: '^1.95.0' },
    main: './extension.js',
    activationEvents: ['onStartupFinished'],
  };
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest));
  await writeFile(join(dir, 'extension.js'), 'exports.activate = () => undefined;\n');
  await writeFile(join(dir, 'README.md'), '# Empty extension\n');
  await writeFile(join(dir, 'LICENSE'), 'MIT\n');
  const vsix = join(dir, 'empty.vsix');
  execFileSync(join(repoRoot, 'node_modules', '.bin', 'vsce'), ['package', '--allow-missing-repository', '--out', vsix], { cwd: dir, stdio: 'ignore' });
  return vsix;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

main().catch((error: unknown) => {
  console.error(`Activation benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
