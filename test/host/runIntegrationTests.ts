import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { installExtension, startCodeServer, type CodeServer } from './codeServer';
import { startSandbox } from '../sandbox/sandboxServer';
import { repoRoot } from './paths';
import { LOOPBACK_CALLBACK } from './constants';
import { countingMochaSummaries, windowTable, type WindowResult } from './windowResults';
import { closeWorkbench, launchBrowser, openWorkbench } from './workbench';
import { runHostileWorkspaceWindows } from './hostileWorkspace';

export interface IntegrationPhase {
  /** Shown in the output; also names the phase's log folder. */
  name: string;
  /** A compiled test index exporting `run()`, e.g. out/test/integration/index.js. */
  extensionTestsPath: string;
  /** Its tests need this runner to act in the browser pages the extension opens (a sign-in). */
  drivesBrowser?: true;
}

export interface IntegrationSuiteOptions {
  /**
   * Run one after the other in the same code-server and the same browser context, each in a new window: a phase
   * finds what the previous ones stored (SecretStorage, globalState, settings), as after a window reload.
   * Every phase runs even when an earlier one failed; a table of the windows' results ends the run.
   */
  phases: IntegrationPhase[];
  /** Default: the repository root. */
  extensionDevelopmentPath?: string;
  /** Added to the extension host's environment, e.g. a sandbox server's URL and test credentials. Never printed. */
  env?: Record<string, string>;
  /** The user's settings.json. */
  userSettings?: object;
  /** Sites the extension may open without VS Code asking first (the sandbox's sign-in pages). */
  trustedDomains?: string[];
  /** Called once before the first phase, e.g. to handle the pages the extension opens (context.on('page')). */
  onContext?: (context: BrowserContext) => void | Promise<void>;
  /** For each phase, from the moment its window opens. Default: 10 minutes. */
  timeoutMs?: number;
  /** Start code-server with workspace trust on (default off: every folder trusted). */
  workspaceTrust?: boolean;
  /** Fills the workspace folder before code-server starts. */
  prepareWorkspace?: (folder: string) => Promise<void>;
  /**
   * VSIX files installed before code-server starts, beside the extension under development (code-server loads one
   * extensionDevelopmentPath only): a bench installs the packaged extension and develops its own helper extension.
   */
  installExtensions?: readonly string[];
}

/** Logs that outlive the run: code-server's, and per phase the page console and the workbench's logs. */
export const integrationLogDir = join(repoRoot, 'test-results', 'integration');

/**
 * Runs the phases in code-server + headless Chromium, all of them even when one fails, and prints a table of their
 * results. Resolves to 0 if every phase passed, else the first failing phase's exit code.
 */
export async function runIntegrationSuite(opts: IntegrationSuiteOptions): Promise<number> {
  const started = Date.now();
  const tempDir = await mkdtemp(join(tmpdir(), 'fortellis-integration-'));
  const removeTempDir = () => rmSync(tempDir, { recursive: true, force: true });
  // On Ctrl+C, exiting runs the synchronous 'exit' cleanups: this one, code-server's and Playwright's.
  const exitOnSignal = (signal: NodeJS.Signals) => process.exit(128 + constants.signals[signal]);
  process.on('exit', removeTempDir);
  process.on('SIGINT', exitOnSignal);
  process.on('SIGTERM', exitOnSignal);
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    await rm(integrationLogDir, { recursive: true, force: true });
    await mkdir(integrationLogDir, { recursive: true });
    const workspaceFolder = join(tempDir, 'workspace');
    await mkdir(workspaceFolder);
    await opts.prepareWorkspace?.(workspaceFolder);
    for (const vsix of opts.installExtensions ?? []) {
      await installExtension(vsix, join(tempDir, 'extensions'), join(tempDir, 'user-data'));
    }
    server = await startCodeServer({
      userDataDir: join(tempDir, 'user-data'),
      extensionsDir: join(tempDir, 'extensions'),
      env: { ...opts.env, FORTELLIS_TEST_USER_DATA_DIR: join(tempDir, 'user-data') },
      userSettings: opts.userSettings,
      trustedDomains: opts.trustedDomains,
      logFile: join(integrationLogDir, 'code-server.log'),
      workspaceTrust: opts.workspaceTrust,
    });
    browser = await launchBrowser();
    const context = await browser.newContext();
    await opts.onContext?.(context);
    const results: Array<WindowResult & { exitCode: number }> = [];
    const where = { folder: workspaceFolder, extensionDevelopmentPath: opts.extensionDevelopmentPath ?? repoRoot, timeoutMs: opts.timeoutMs ?? 10 * 60_000 };
    const [openBrowser, runningServer] = [browser, server];
    for (const phase of opts.phases) {
      const {
        value: outcome,
        passing,
        failing,
      } = await countingMochaSummaries(() =>
        runPhase(openBrowser, runningServer, context, phase, where).then(
          (exitCode) => ({ exitCode, problem: exitCode === 0 ? undefined : `exit code ${exitCode}` }),
          // A window that crashed, timed out or never opened: the next ones still run.
          (error: unknown) => ({ exitCode: 1, problem: error instanceof Error ? error.message.split('\n')[0] : String(error) }),
        ),
      );
      if (outcome.exitCode !== 0) {
        console.error(`Phase "${phase.name}" failed (${outcome.problem}); the next phases still run. Logs: ${relative(process.cwd(), integrationLogDir)}`);
      }
      results.push({ name: phase.name, passed: outcome.exitCode === 0, passing, failing, problem: outcome.problem, exitCode: outcome.exitCode });
    }
    console.log(windowTable('Integration windows (code-server):', results));
    return results.find((result) => result.exitCode !== 0)?.exitCode ?? 0;
  } finally {
    await browser?.close();
    await server?.stop();
    removeTempDir();
    process.off('exit', removeTempDir);
    process.off('SIGINT', exitOnSignal);
    process.off('SIGTERM', exitOnSignal);
    console.log(`Integration tests took ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  }
}

async function runPhase(
  browser: Browser,
  server: CodeServer,
  context: BrowserContext,
  phase: IntegrationPhase,
  where: { folder: string; extensionDevelopmentPath: string; timeoutMs: number },
): Promise<number> {
  const deadline = Date.now() + where.timeoutMs;
  console.log(`\n▶ ${phase.name}`);
  const workbench = await openWorkbench(browser, server, {
    folder: where.folder,
    extensionDevelopmentPath: where.extensionDevelopmentPath,
    extensionTestsPath: phase.extensionTestsPath,
    context,
    logDir: join(integrationLogDir, phase.name),
  });
  try {
    return await beforeDeadline(
      workbench.exitCode,
      deadline,
      `The workbench did not report the end of phase "${phase.name}" (window.codeAutomationExit) in time. ` +
        `Logs: ${relative(process.cwd(), integrationLogDir)}`,
    );
  } finally {
    await closeWorkbench(workbench);
  }
}

async function beforeDeadline<T>(promise: Promise<T>, deadline: number, timeoutMessage: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(timeoutMessage)), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What `npm run test:integration` and `npm run test:integration:desktop` run: a window, the same window reloaded, the
 * token put to use, failures, then browser sign-ins.
 */
export const projectPhases: IntegrationPhase[] = [
  { name: 'integration', extensionTestsPath: join(repoRoot, 'out', 'test', 'integration', 'index.js') },
  { name: 'after-reload', extensionTestsPath: join(repoRoot, 'out', 'test', 'integration', 'afterReload', 'index.js') },
  { name: 'use-token', extensionTestsPath: join(repoRoot, 'out', 'test', 'integration', 'useToken', 'index.js') },
  { name: 'faults', extensionTestsPath: join(repoRoot, 'out', 'test', 'integration', 'faults', 'index.js') },
  { name: 'agent-tools', extensionTestsPath: join(repoRoot, 'out', 'test', 'integration', 'agentTools', 'index.js') },
  { name: 'specs', extensionTestsPath: join(repoRoot, 'out', 'test', 'integration', 'specs', 'index.js') },
  { name: 'browser-sign-in', extensionTestsPath: join(repoRoot, 'out', 'test', 'integration', 'signIn', 'index.js'), drivesBrowser: true },
];

/** A test login name the sign-in tests expect to see as the signed-in user. */
export const TEST_USER = 'dealer-alice';

/**
 * The person at the browser: when the extension opens the sandbox's sign-in page (vscode.env.openExternal opens a
 * new page), log in and consent on it, then close the page once it has been sent back to VS Code.
 */
async function signInAsUser(page: Page, issuer: string): Promise<void> {
  // Only pages the workbench opens (window.open) are the user's browser tabs; the workbench's own page is not.
  if (!(await page.opener())) {
    return;
  }
  try {
    await page.waitForLoadState();
    for (let step = 0; step < 5 && page.url().startsWith(issuer); step++) {
      if (await page.locator('input[name="login"]').count()) {
        await page.fill('input[name="login"]', TEST_USER);
        await page.fill('input[name="password"]', 'any password');
      }
      const before = page.url();
      await Promise.all([
        page.waitForURL((url) => url.href !== before, { timeout: 15_000, waitUntil: 'commit' }),
        page.locator('button[type="submit"]').first().click(),
      ]);
      await page.waitForLoadState();
    }
    // Let the callback page hand the result to VS Code before the tab goes.
    await page.waitForTimeout(2000);
  } catch (error) {
    if (page.isClosed()) {
      // The callback page closed its own tab: the sign-in went back to VS Code.
      return;
    }
    console.error(`The sign-in page could not be completed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  } finally {
    await page.close().catch(() => undefined);
  }
}

/**
 * The suite's surroundings: a sandbox authorization server with an app whose secret is new each run, the
 * settings that point the extension at it, and what the tests in the extension host need to know.
 */
export async function withSandbox(
  run: (suite: Pick<IntegrationSuiteOptions, 'env' | 'userSettings' | 'onContext' | 'trustedDomains'>) => Promise<number>,
): Promise<number> {
  const app = {
    clientId: 'integration-app-key',
    clientSecret: `integration-${randomBytes(16).toString('base64url')}`,
    redirectUris: [LOOPBACK_CALLBACK],
  };
  // Not 127.0.0.1: code-server would send the sign-in page through its port-forwarding proxy.
  const sandbox = await startSandbox({ host: '127.0.0.2', clients: [app] });
  const stateDir = await mkdtemp(join(tmpdir(), 'fortellis-integration-state-'));
  try {
    return await run({
      env: {
        FORTELLIS_TEST_API_KEY: app.clientId,
        FORTELLIS_TEST_API_SECRET: app.clientSecret,
        FORTELLIS_TEST_SANDBOX_STATS_URL: sandbox.statsUrl,
        FORTELLIS_TEST_API_REQUESTS_URL: sandbox.apiRequestsUrl,
        FORTELLIS_TEST_STATE_DIR: stateDir,
      },
      userSettings: {
        'fortellis.sandbox.issuer': sandbox.issuer,
        'fortellis.sandbox.apiBaseUrl': sandbox.apiBaseUrl,
        'fortellis.sandbox.subscriptionsUrl': sandbox.subscriptionsUrl,
        'fortellis.signIn.loopbackRedirectUri': LOOPBACK_CALLBACK,
      },
      onContext: (context) => {
        context.on('page', (page) => void signInAsUser(page, sandbox.issuer));
      },
      trustedDomains: [new URL(sandbox.issuer).origin],
    });
  } finally {
    await sandbox.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  process.exitCode = await withSandbox(async (suite) => {
    // Every window runs, whatever an earlier one did: the hostile-workspace windows too.
    // FORTELLIS_INTEGRATION_WINDOWS=specs,faults runs only those windows ("hostile" for the hostile-workspace ones).
    const only = process.env.FORTELLIS_INTEGRATION_WINDOWS?.split(',').map((name) => name.trim());
    const phases = only ? projectPhases.filter((phase) => only.includes(phase.name)) : projectPhases;
    const project = phases.length > 0 ? await runIntegrationSuite({ phases, ...suite }) : 0;
    const hostile = !only || only.includes('hostile') ? await runHostileWorkspaceWindows(suite) : 0;
    return project || hostile;
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
