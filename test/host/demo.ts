import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type DemoSession, startDemo } from './demoSession';
import { repoRoot } from './paths';
import { launchBrowser, openWorkbench } from './workbench';
import { answer, fortellisStatus, runCommand, waitForNotification, waitForProgressToEnd, waitForQuickInput, waitForStatus } from './workbenchDriver';
import { DEMO_CLIENT } from '../sandbox/sandboxServer';

const SCREENSHOT = join(repoRoot, 'test-results', 'demo-countdown.png');

/**
 * npm run demo: the sandbox authorization server, and VS Code (code-server) with the packaged extension
 * installed and a sandbox profile ready (startDemo). With a display it serves until Ctrl+C; without one (or with
 * --prove) a browser does the main job by itself and the demo exits.
 */
async function main(): Promise<void> {
  const prove = process.argv.includes('--prove') || !process.env.DISPLAY;
  const demo = await startDemo();
  console.log(demo.guide);
  if (!prove) {
    console.log('Press Ctrl+C to stop.');
    await new Promise<void>((resolve) => process.once('SIGINT', resolve));
    await demo.stop();
    return;
  }
  try {
    await proveMainJob(demo);
  } finally {
    await demo.stop();
  }
}

/** What a newcomer does in the browser: the command, the secret, the countdown. */
async function proveMainJob(demo: DemoSession): Promise<void> {
  console.log('No display: a headless browser does it now.');
  const browser = await launchBrowser();
  try {
    const { page } = await openWorkbench(browser, demo.server, { folder: demo.workspace });
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
