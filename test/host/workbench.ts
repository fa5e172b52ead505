import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { testReportMarker } from './testReport';

export interface WorkbenchOptions {
  /** The workspace folder the window opens. */
  folder: string;
  /** The extension under development, loaded as in "Run Extension" (F5). Without it: the installed extensions only. */
  extensionDevelopmentPath?: string;
  /** A compiled module exporting `run()`: the extension host runs it, then the window reports its outcome. */
  extensionTestsPath?: string;
  /** Reusing a context keeps its storage (IndexedDB: SecretStorage, globalState), as reloading a window does. */
  context?: BrowserContext;
  /** Receives the page's console (browser-console.log) and, when a test run ends, the workbench's logs. */
  logDir?: string;
}

export interface Workbench {
  context: BrowserContext;
  page: Page;
  /** With extensionTestsPath: the test run's exit code. Rejects if the page crashes or closes first. */
  exitCode: Promise<number> | undefined;
}

/** A log file that VS Code's web workbench hands to window.codeAutomationExit. */
interface WorkbenchLog {
  relativePath: string;
  contents: string;
}

const workbenchTimeoutMs = 60_000;
/**
 * The web workbench writes a storage change (e.g. globalState) to IndexedDB 100 ms after it is made. Reloading a
 * window awaits that write; closing the page right after the tests end loses it (measured).
 */
const storageWriteDelayMs = 1_000;

/** Debian's Chromium, headless (never a browser build downloaded by Playwright). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // vscode.env.openExternal opens the sign-in page with window.open, also when a test (no user gesture) asks.
      '--disable-popup-blocking',
    ],
  });
}

/** Opens the VS Code workbench of `server` in a new page and waits until it is shown. */
export function openWorkbench(
  browser: Browser,
  server: Pick<CodeServer, 'baseUrl'>,
  opts: WorkbenchOptions & { extensionTestsPath: string },
): Promise<Workbench & { exitCode: Promise<number> }>;
export function openWorkbench(browser: Browser, server: Pick<CodeServer, 'baseUrl'>, opts: WorkbenchOptions): Promise<Workbench>;
export async function openWorkbench(browser: Browser, server: Pick<CodeServer, 'baseUrl'>, opts: WorkbenchOptions): Promise<Workbench> {
  const context = opts.context ?? (await browser.newContext());
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
  const page = await context.newPage();
  if (opts.logDir) {
    await mkdir(opts.logDir, { recursive: true });
  }
  forwardConsole(page, opts.logDir === undefined ? undefined : createWriteStream(join(opts.logDir, 'browser-console.log')));
  // The workbench calls it when the tests settle: it must exist before the page loads.
  const exitCode = opts.extensionTestsPath === undefined ? undefined : (await exposeAutomationExit(page, opts.logDir)).exitCode;
  await page.goto(workbenchUrl(server.baseUrl, opts));
  await page.locator('.monaco-workbench').waitFor({ timeout: workbenchTimeoutMs });
  return { context, page, exitCode };
}

/** Closes the window once its pending storage writes have landed, so that the next window sees them, as after a reload. */
export async function closeWorkbench(workbench: Pick<Workbench, 'page'>): Promise<void> {
  await workbench.page.waitForTimeout(storageWriteDelayMs);
  await workbench.page.close();
}

/** `?folder=…&payload=…` with the paths as vscode-remote URIs of this server, as a CLI launch passes them. */
function workbenchUrl(baseUrl: string, opts: WorkbenchOptions): string {
  const remoteUri = (path: string) => `vscode-remote://${new URL(baseUrl).host}${path.split('/').map(encodeURIComponent).join('/')}`;
  const payload = Object.entries({
    extensionDevelopmentPath: opts.extensionDevelopmentPath,
    extensionTestsPath: opts.extensionTestsPath,
  }).flatMap(([name, path]) => (path === undefined ? [] : [[name, remoteUri(path)]]));
  const query = new URLSearchParams({ folder: opts.folder });
  if (payload.length > 0) {
    query.set('payload', JSON.stringify(payload));
  }
  return `${baseUrl}/?${query}`;
}

/** Prints the test index's report lines; keeps the whole console in the log file, if any. */
function forwardConsole(page: Page, log: WriteStream | undefined): void {
  page.on('console', (message) => {
    const text = message.text();
    const marker = text.indexOf(testReportMarker);
    if (marker >= 0) {
      process.stdout.write(`${text.slice(marker + testReportMarker.length)}\n`);
    }
    log?.write(`[${message.type()}] ${text}\n`);
  });
  page.on('pageerror', (error) => log?.write(`[pageerror] ${error.stack ?? error.message}\n`));
  page.once('close', () => log?.end());
}

async function exposeAutomationExit(page: Page, logDir: string | undefined): Promise<{ exitCode: Promise<number> }> {
  let settle: { resolve(code: number): void; reject(error: Error): void } | undefined;
  const exitCode = new Promise<number>((resolve, reject) => (settle = { resolve, reject }));
  await page.exposeFunction('codeAutomationExit', async (code: number, logs: WorkbenchLog[] = []) => {
    if (logDir) {
      await saveWorkbenchLogs(join(logDir, 'workbench'), logs);
    }
    settle?.resolve(code);
  });
  page.once('crash', () => settle?.reject(new Error('The workbench page crashed before the tests ended')));
  page.once('close', () => settle?.reject(new Error('The workbench page closed before the tests ended')));
  // A caller may await the exit code only after other steps; a crash meanwhile must not be an unhandled rejection.
  exitCode.catch(() => undefined);
  return { exitCode };
}

async function saveWorkbenchLogs(dir: string, logs: WorkbenchLog[]): Promise<void> {
  const root = resolve(dir);
  for (const log of logs) {
    const file = resolve(root, log.relativePath);
    if (file.startsWith(root + sep)) {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, log.contents);
    }
  }
}

/** User settings of a workbench the tests open: no start-up editor or secondary side bar in the screenshots. */
export const QUIET_WORKBENCH_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
} as const;

/**
 * Else code-server pops up "Your application running on port 8123 is available" whenever a loopback sign-in listens
 * there, at random moments: the browser must not go to that port through code-server's proxy, but straight to it, and
 * with the sign-in's own toasts that is more than the 3 VS Code shows within 800 ms (the next one goes to the
 * notification center unseen).
 */
export const NO_PORT_FORWARDING_SETTINGS = { 'remote.autoForwardPorts': false } as const;

/** The sandbox environment's URLs as user settings, and a quiet workbench. */
export function sandboxUserSettings(sandbox: {
  readonly issuer: string;
  readonly apiBaseUrl: string;
  readonly subscriptionsUrl: string;
}): Record<string, unknown> {
  return {
    'fortellis.sandbox.issuer': sandbox.issuer,
    'fortellis.sandbox.apiBaseUrl': sandbox.apiBaseUrl,
    'fortellis.sandbox.subscriptionsUrl': sandbox.subscriptionsUrl,
    ...QUIET_WORKBENCH_SETTINGS,
  };
}
