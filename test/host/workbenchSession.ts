import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createVSIX } from '@vscode/vsce';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type CodeServer, installExtension, startCodeServer } from './codeServer';
import { FORTELLIS_VSIX } from './constants';
import { launchBrowser, openWorkbench } from './workbench';
import type { Sandbox } from '../sandbox/sandboxServer';

/** What a session starts with; everything else (temp folders, the VSIX, cleaning up) is the same for every session. */
export interface SessionOptions {
  /** The temp folder's prefix, e.g. 'fortellis-e2e-specs-'. */
  tempPrefix: string;
  /** Starts the sandbox the session's settings point at. Started first: when it fails, nothing else has started. */
  startSandbox: () => Promise<Sandbox>;
  /** Files copied into the workspace folder, under their own names. */
  workspaceFiles?: readonly string[];
  /** Folders of other extensions (plain JavaScript), packaged at start-up and installed beside Fortellis Auth. */
  otherExtensions?: readonly string[];
  /** The user's settings.json. */
  userSettings: (sandbox: Sandbox) => Record<string, unknown>;
  /** Links to these open without asking "Do you want to open the external website?", e.g. the sign-in page. */
  trustedDomains?: (sandbox: Sandbox) => string[];
  /** Where code-server's output goes. Default: <userDataDir>/code-server.log. */
  logFile?: string;
}

/** The sandbox and code-server, a real VS Code, with the packaged extension installed: the start of every host-level session. */
export interface WorkbenchSession {
  sandbox: Sandbox;
  server: CodeServer;
  /** The folder the VS Code window opens (not a git repository). */
  workspace: string;
  /** code-server's user-data folder: settings.json and the logs (the extension's log channel included). */
  userDataDir: string;
  /** Stops code-server and the sandbox and removes the temp folders; once, however often it is called. */
  stop(): Promise<void>;
}

/** A session opened in a headless browser, as a person opens it: what the end-to-end suites drive. */
export interface BrowserSession extends WorkbenchSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

/**
 * Starts the sandbox, then code-server with FORTELLIS_VSIX (and `otherExtensions`) installed, opening `workspace`.
 * No smoke-test driver: it would hide notification toasts, and an installed extension does not need it.
 * What started is stopped again when a later step fails.
 */
export async function startWorkbenchSession(options: SessionOptions): Promise<WorkbenchSession> {
  const sandbox = await options.startSandbox();
  const tempDir = await mkdtemp(join(tmpdir(), options.tempPrefix));
  const dirs = { userData: join(tempDir, 'user-data'), extensions: join(tempDir, 'extensions'), workspace: join(tempDir, 'workspace') };
  const cleanUp = async () => {
    await sandbox.close();
    await rm(tempDir, { recursive: true, force: true });
  };
  let server: CodeServer;
  try {
    await mkdir(dirs.workspace);
    for (const file of options.workspaceFiles ?? []) {
      await copyFile(file, join(dirs.workspace, basename(file)));
    }
    await installExtension(FORTELLIS_VSIX, dirs.extensions, dirs.userData);
    for (const folder of options.otherExtensions ?? []) {
      const vsix = join(tempDir, `${basename(folder)}.vsix`);
      await createVSIX({ cwd: folder, packagePath: vsix, dependencies: false, allowMissingRepository: true, skipLicense: true });
      await installExtension(vsix, dirs.extensions, dirs.userData);
    }
    server = await startCodeServer({
      userDataDir: dirs.userData,
      extensionsDir: dirs.extensions,
      smokeTestDriver: false,
      userSettings: options.userSettings(sandbox),
      trustedDomains: options.trustedDomains?.(sandbox),
      logFile: options.logFile,
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const running = server;
  let stopping: Promise<void> | undefined;
  return {
    sandbox,
    server: running,
    workspace: dirs.workspace,
    userDataDir: dirs.userData,
    stop: () =>
      (stopping ??= (async () => {
        await running.stop();
        await cleanUp();
      })()),
  };
}

/** Opens the session's workbench in a new headless browser, its console logged in `logDir`. */
export async function openInBrowser<T extends WorkbenchSession>(session: T, logDir: string): Promise<T & BrowserSession> {
  const browser = await launchBrowser();
  try {
    const { context, page } = await openWorkbench(browser, session.server, { folder: session.workspace, logDir });
    return {
      ...session,
      browser,
      context,
      page,
      stop: async () => {
        await browser.close();
        await session.stop();
      },
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** What an end-to-end suite's before() runs: the session, opened in the browser (all stopped again if a step fails). */
export async function startBrowserSession(options: SessionOptions & { logDir: string }): Promise<BrowserSession> {
  const session = await startWorkbenchSession(options);
  try {
    return await openInBrowser(session, options.logDir);
  } catch (error) {
    await session.stop();
    throw error;
  }
}
