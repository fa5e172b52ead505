/**
 * Activation cost in the real host. Two code-servers run side by side: one with the packaged VSIX installed, one
 * with an empty extension (activate() does nothing), both activated on startup. Window loads alternate between the
 * two (A B, then B A, …), so that whatever else the machine is doing hits both alike. VS Code itself measures each
 * activation (code loading + activate()) and shows it in "Developer: Show Running Extensions"; this reads it there
 * and writes the median, min and max of each to test-results/activation-bench.json for bench.ts, with every sample.
 * Then what the extension's part is made of: a timed copy of the VSIX (its manifest's `main` a small wrapper, see
 * TIMER_SOURCE) is loaded 11 more times in a third code-server; from inside the extension host the wrapper times the
 * first require('vscode') (VS Code building this extension's API object), the bundle's require (compile and top
 * level), activate(), and each VS Code API call made until activate() returns.
 * Not a test: it reports figures, it asserts nothing about them.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type CodeServer, installExtension, startCodeServer } from '../host/codeServer';
import { repoRoot } from '../host/paths';
import { closeWorkbench, launchBrowser, openWorkbench } from '../host/workbench';
import { runCommand } from '../host/workbenchDriver';

/** Measured window loads of each extension (at least 11). */
const WINDOW_LOADS = 11;
/** Window loads of each before the measured ones, reported but not counted: the first load of a server is cold. */
const WARM_UP_LOADS = 1;
const ACTIVATION_TIMEOUT_MS = 60_000;
const EXTENSION = 'Fortellis Auth';
const EMPTY = 'Empty Extension (bench)';
const VSIX = join(repoRoot, 'dist', 'fortellis-auth.vsix');
/** Window loads of the timed copy. */
const TIMED_LOADS = 11;
const TIMES_FILE_VARIABLE = 'FORTELLIS_ACTIVATION_TIMES';

/**
 * The timed copy's `main`: it wraps VS Code's API functions (time and count per call), requires the real bundle and
 * calls its activate(), then appends one JSON line of what it measured to $FORTELLIS_ACTIVATION_TIMES.
 */
const TIMER_SOURCE = `'use strict';
const started = performance.now();
const vscode = require('vscode');
const apiMs = performance.now() - started;
/** API calls per phase: until activate() returns (what VS Code counts), then until its promise resolves. */
const calls = { activation: {}, afterReturn: {} };
let phase = 'activation';
for (const namespace of ['window', 'commands', 'workspace', 'authentication', 'lm', 'languages', 'env', 'extensions']) {
  const target = vscode[namespace];
  for (const name of Object.keys(target)) {
    const descriptor = Object.getOwnPropertyDescriptor(target, name);
    if (!descriptor || typeof descriptor.value !== 'function' || !descriptor.writable) continue;
    const original = descriptor.value;
    target[name] = function (...args) {
      const start = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const call = (calls[phase][namespace + '.' + name] ??= { count: 0, ms: 0 });
        call.count++;
        call.ms += performance.now() - start;
      }
    };
  }
}
const loading = performance.now();
const extension = require('./extension.js');
const loadMs = performance.now() - loading;
exports.activate = async (context) => {
  const activating = performance.now();
  const pending = extension.activate(context);
  const activateMs = performance.now() - activating;
  phase = 'afterReturn';
  const api = await pending;
  const resolvedMs = performance.now() - activating;
  require('node:fs').appendFileSync(process.env.${TIMES_FILE_VARIABLE}, JSON.stringify({ apiMs, loadMs, activateMs, resolvedMs, calls }) + '\\n');
  return api;
};
exports.deactivate = () => extension.deactivate?.();
`;

interface Host {
  readonly name: string;
  readonly server: CodeServer;
  readonly context: BrowserContext;
  readonly workspace: string;
}

async function main(): Promise<void> {
  const tempDir = await mkdtemp(join(tmpdir(), 'fortellis-activation-'));
  const servers: CodeServer[] = [];
  let browser: Browser | undefined;
  try {
    const emptyVsix = await packageEmptyExtension(join(tempDir, 'empty'));
    browser = await launchBrowser();
    const hosts: Host[] = [];
    for (const [name, vsix] of [
      [EXTENSION, VSIX],
      [EMPTY, emptyVsix],
    ] as const) {
      const dir = join(tempDir, name === EXTENSION ? 'extension' : 'empty-host');
      const dirs = { userData: join(dir, 'user-data'), extensions: join(dir, 'extensions'), workspace: join(dir, 'workspace') };
      await mkdir(dirs.workspace, { recursive: true });
      await installExtension(vsix, dirs.extensions, dirs.userData);
      const server = await startCodeServer({
        userDataDir: dirs.userData,
        extensionsDir: dirs.extensions,
        smokeTestDriver: false,
        userSettings: { 'workbench.startupEditor': 'none' },
      });
      servers.push(server);
      hosts.push({ name, server, context: await browser.newContext({ viewport: { width: 1280, height: 4000 } }), workspace: dirs.workspace });
    }
    const samples: Record<string, number[]> = { [EXTENSION]: [], [EMPTY]: [] };
    const warmUps: Record<string, number[]> = { [EXTENSION]: [], [EMPTY]: [] };
    const order: string[] = [];
    for (let load = 0; load < WARM_UP_LOADS + WINDOW_LOADS; load++) {
      // A B, B A, A B, …: neither always goes first.
      for (const host of load % 2 === 0 ? hosts : [...hosts].reverse()) {
        const ms = await activationTime(browser, host);
        (load < WARM_UP_LOADS ? warmUps : samples)[host.name].push(ms);
        if (load >= WARM_UP_LOADS) {
          order.push(host.name === EXTENSION ? 'A' : 'B');
        }
      }
    }
    const extension = summary(samples[EXTENSION]);
    const empty = summary(samples[EMPTY]);
    const result = {
      windowLoads: WINDOW_LOADS,
      warmUpLoads: WARM_UP_LOADS,
      extensionMedianMs: extension.median,
      extensionMinMs: extension.min,
      extensionMaxMs: extension.max,
      emptyMedianMs: empty.median,
      emptyMinMs: empty.min,
      emptyMaxMs: empty.max,
      ratio: extension.median / Math.max(empty.median, 1),
      order: order.join(''),
      samples: { extensionMs: samples[EXTENSION], emptyMs: samples[EMPTY] },
      warmUps: { extensionMs: warmUps[EXTENSION], emptyMs: warmUps[EMPTY] },
    };
    await mkdir(join(repoRoot, 'test-results'), { recursive: true });
    await writeFile(join(repoRoot, 'test-results', 'activation-bench.json'), JSON.stringify(result, null, 2));
    console.log(`Activation in code-server, ${WINDOW_LOADS} interleaved window loads of each (after ${WARM_UP_LOADS} warm-up of each):`);
    console.log(`  load  ${EXTENSION.padEnd(24)} ${EMPTY}`);
    samples[EXTENSION].forEach((ms, i) => console.log(`  ${String(i + 1).padStart(4)}  ${`${ms} ms`.padEnd(24)} ${samples[EMPTY][i]} ms`));
    console.log(
      `  median ${`${extension.median} ms (${extension.min}–${extension.max})`.padEnd(23)} ${empty.median} ms (${empty.min}–${empty.max}); ratio ${result.ratio.toFixed(2)}×`,
    );
    console.log(`  warm-ups (not counted): ${warmUps[EXTENSION].join(', ')} ms / ${warmUps[EMPTY].join(', ')} ms`);
    const parts = await timedParts(browser, join(tempDir, 'timed'), servers);
    await writeFile(join(repoRoot, 'test-results', 'activation-bench.json'), JSON.stringify({ ...result, parts }, null, 2));
    console.log(`What the extension's activation is made of: a timed copy, ${TIMED_LOADS} window loads, median per part:`);
    for (const [part, ms] of Object.entries(parts)) {
      console.log(`  ${part.padEnd(60)} ${ms.toFixed(2)} ms`);
    }
  } finally {
    await browser?.close();
    for (const server of servers) {
      await server.stop();
    }
    await rm(tempDir, { recursive: true, force: true });
  }
}

/**
 * The timed copy in a third code-server: TIMED_LOADS window loads, and the median of each part (VS Code's activation
 * time of the copy too, which adds the wrapper's few lines to what VS Code measures for the real one).
 */
async function timedParts(browser: Browser, dir: string, servers: CodeServer[]): Promise<Record<string, number>> {
  const copy = join(dir, 'copy');
  await mkdir(copy, { recursive: true });
  for (const entry of ['dist', 'media', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
    await cp(join(repoRoot, entry), join(copy, entry), { recursive: true });
  }
  const manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(copy, 'package.json'), JSON.stringify({ ...manifest, main: './dist/activationTimer.js', scripts: {} }));
  await writeFile(join(copy, 'dist', 'activationTimer.js'), TIMER_SOURCE);
  const vsix = join(dir, 'timed.vsix');
  execFileSync(join(repoRoot, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--out', vsix], {
    cwd: copy,
    stdio: 'ignore',
  });
  const dirs = { userData: join(dir, 'user-data'), extensions: join(dir, 'extensions'), workspace: join(dir, 'workspace') };
  await mkdir(dirs.workspace, { recursive: true });
  await installExtension(vsix, dirs.extensions, dirs.userData);
  const timesFile = join(dir, 'times.jsonl');
  const server = await startCodeServer({
    userDataDir: dirs.userData,
    extensionsDir: dirs.extensions,
    smokeTestDriver: false,
    userSettings: { 'workbench.startupEditor': 'none' },
    env: { [TIMES_FILE_VARIABLE]: timesFile },
  });
  servers.push(server);
  const host: Host = { name: EXTENSION, server, context: await browser.newContext({ viewport: { width: 1280, height: 4000 } }), workspace: dirs.workspace };
  const vscodeMs: number[] = [];
  for (let load = 0; load < WARM_UP_LOADS + TIMED_LOADS; load++) {
    const ms = await activationTime(browser, host);
    if (load >= WARM_UP_LOADS) {
      vscodeMs.push(ms);
    }
  }
  type Calls = Record<string, { count: number; ms: number }>;
  const runs = (await readFile(timesFile, 'utf8'))
    .trim()
    .split('\n')
    .slice(WARM_UP_LOADS)
    .map(
      (line) => JSON.parse(line) as { apiMs: number; loadMs: number; activateMs: number; resolvedMs: number; calls: { activation: Calls; afterReturn: Calls } },
    );
  const callRows = (phase: 'activation' | 'afterReturn', parts: Record<string, number>) => {
    parts['  … of which VS Code API calls'] = summary(runs.map((run) => Object.values(run.calls[phase]).reduce((sum, call) => sum + call.ms, 0))).median;
    for (const name of [...new Set(runs.flatMap((run) => Object.keys(run.calls[phase])))].sort()) {
      const count = runs[0]?.calls[phase][name]?.count ?? 0;
      parts[`  … ${name} (${count}×)`] = summary(runs.map((run) => run.calls[phase][name]?.ms ?? 0)).median;
    }
  };
  const parts: Record<string, number> = {
    'VS Code: activation of the timed copy (code loading + activate() until it returns)': summary(vscodeMs).median,
    "require('vscode'): VS Code builds the extension's API object": summary(runs.map((run) => run.apiMs)).median,
    'require of dist/extension.js: compile and top level': summary(runs.map((run) => run.loadMs)).median,
    'activate() until it returns (VS Code counts this)': summary(runs.map((run) => run.activateMs)).median,
  };
  callRows('activation', parts);
  const later: Record<string, number> = {
    'then, until its promise resolves (first countdown, then dist/afterFirstCountdown.js wires the rest; not counted)': summary(
      runs.map((run) => run.resolvedMs - run.activateMs),
    ).median,
  };
  callRows('afterReturn', later);
  // The two phases share the row names of their calls: prefixed apart.
  for (const [name, ms] of Object.entries(later)) {
    parts[name.startsWith('  … ') ? name.replace('  … ', '  … later: ') : name] = ms;
  }
  return parts;
}

/** Opens a window of the host, waits until its extension has activated, and reads the activation time VS Code measured. */
async function activationTime(browser: Browser, host: Host): Promise<number> {
  const workbench = await openWorkbench(browser, host.server, { folder: host.workspace, context: host.context });
  try {
    const { page } = workbench;
    await showRunningExtensions(page);
    // The editor follows the extensions' status: the row shows the time once the activation has ended.
    const row = page
      .locator('.runtime-extensions-editor .monaco-list-row')
      .filter({ hasText: host.name })
      .filter({ hasText: /Activation: \d/ })
      .first();
    const text = (await row.innerText({ timeout: ACTIVATION_TIMEOUT_MS })).replace(/\s+/g, ' ');
    const match = /Activation: (\d+(?:\.\d+)?)ms/.exec(text);
    if (!match) {
      throw new Error(`No activation time for ${host.name} in "${text}"`);
    }
    return Number(match[1]);
  } finally {
    await closeWorkbench(workbench);
  }
}

/** The command palette may miss the first F1 of a window that is still starting: up to 3 tries. */
async function showRunningExtensions(page: Page): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await runCommand(page, 'Developer: Show Running Extensions', 'Show Running Extensions');
      return;
    } catch (error) {
      if (attempt >= 3) {
        throw error;
      }
      await page.keyboard.press('Escape');
    }
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

function summary(values: number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

main().catch((error: unknown) => {
  console.error(`Activation benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
