import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { type CodeServer, installExtension, startCodeServer } from './codeServer';
import { repoRoot } from './paths';
import { launchBrowser, openWorkbench } from './workbench';
import { answer, fortellisStatus, runCommand, waitForNotification, waitForProgressToEnd, waitForQuickInput, waitForStatus } from './workbenchDriver';
import { defaultSandboxLocation } from '../sandbox/sandboxDefaults';
import { DEMO_CLIENT, startSandbox } from '../sandbox/sandboxServer';

const VSIX = join(repoRoot, 'dist', 'fortellis-auth.vsix');
const SCREENSHOT = join(repoRoot, 'test-results', 'demo-countdown.png');

/**
 * npm run demo: the sandbox authorization server, and VS Code (code-server) with the packaged extension
 * installed and a sandbox profile ready. With a display it serves until Ctrl+C; without one (or with
 * --prove) a browser does the main job by itself and the demo exits.
 */
async function main(): Promise<void> {
  const prove = process.argv.includes('--prove') || !process.env.DISPLAY;
  const sandbox = await startSandbox(defaultSandboxLocation()).catch((error: unknown) => {
    throw new Error(`Could not start the sandbox on its default port (${String(error)}). Is another demo running?`);
  });
  const tempDir = await mkdtemp(join(tmpdir(), 'fortellis-demo-'));
  const dirs = { userData: join(tempDir, 'user-data'), extensions: join(tempDir, 'extensions'), workspace: join(tempDir, 'workspace') };
  await mkdir(dirs.workspace);
  await installExtension(VSIX, dirs.extensions, dirs.userData);
  const server = await startCodeServer({
    userDataDir: dirs.userData,
    extensionsDir: dirs.extensions,
    smokeTestDriver: false,
    userSettings: {
      'fortellis.profiles': [{ name: 'sandbox', environment: 'sandbox', apiKey: DEMO_CLIENT.clientId, subscriptionId: 'test' }],
      'fortellis.activeProfile': 'sandbox',
      'workbench.startupEditor': 'none',
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
    },
  });
  const cleanUp = async () => {
    await server.stop();
    await sandbox.close();
    await rm(tempDir, { recursive: true, force: true });
  };
  const url = `${server.baseUrl}/?folder=${encodeURIComponent(dirs.workspace)}`;
  console.log(
    [
      '',
      `VS Code with Fortellis Auth:  ${url}`,
      `Sandbox authorization server: ${sandbox.issuer}`,
      `Demo app (sandbox only):      API key ${DEMO_CLIENT.clientId}, API secret ${DEMO_CLIENT.clientSecret}`,
      'In VS Code: F1 → "Get Fortellis Token" → enter the API secret → watch the status bar count down.',
      `Then: "Fortellis: Call API…" or "Fortellis: Insert Request Snippet" on the sandbox's API, e.g. ${sandbox.apiBaseUrl}/cdk-test/sales/v1/vehicles (Subscription-Id "test").`,
      '',
    ].join('\n'),
  );
  if (!prove) {
    console.log('Press Ctrl+C to stop.');
    await new Promise<void>((resolve) => process.once('SIGINT', resolve));
    await cleanUp();
    return;
  }
  try {
    await proveMainJob(server, dirs.workspace);
  } finally {
    await cleanUp();
  }
}

/** What a newcomer does in the browser: the command, the secret, the countdown. */
async function proveMainJob(server: CodeServer, folder: string): Promise<void> {
  console.log('No display: a headless browser does it now.');
  const browser = await launchBrowser();
  try {
    const { page } = await openWorkbench(browser, server, { folder });
    await waitForStatus(page, /Fortellis: sandbox · no token$/, 60_000);
    const started = Date.now();
    await runCommand(page, 'Get Fortellis Token', 'Fortellis: Get Fortellis Token');
    await waitForQuickInput(page, 'API secret for Fortellis profile "sandbox"');
    await answer(page, DEMO_CLIENT.clientSecret);
    await waitForStatus(page, /Fortellis: sandbox · \d+m$/);
    const elapsed = Date.now() - started;
    await waitForNotification(page, 'Fortellis token for "sandbox" ready');
    await waitForProgressToEnd(page);
    await mkdir(join(repoRoot, 'test-results'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, animations: 'disabled' });
    console.log(`Status bar: "${await fortellisStatus(page)}", ${elapsed} ms after running the command. Screenshot: ${relative(process.cwd(), SCREENSHOT)}`);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(`Demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
