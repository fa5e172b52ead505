import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { E2E_RESULTS_DIR as resultsDir } from '../host/constants';
import { sandboxUserSettings } from '../host/workbench';
import { answer, getTokenThroughPalette, pick, waitForQuickInput } from '../host/workbenchDriver';
import { type BrowserSession, startBrowserSession } from '../host/workbenchSession';
import { type Sandbox, startSandbox } from '../sandbox/sandboxServer';
import { SANDBOX_SPEC_PATH } from '../sandbox/spec/vehicleApi';

/** The text of the visible lines of the editor whose tab is active (what a person can read on the screen). */
async function activeEditorText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor .view-lines');
    return (editor as HTMLElement | null)?.innerText.replace(/\u00a0/g, ' ') ?? '';
  });
}

describe("End to end: the Call code lens on the sandbox's spec in the real workbench", function () {
  const app = { apiKey: 'e2e-spec-key', apiSecret: `e2e-spec-${randomBytes(12).toString('base64url')}` };
  let session: BrowserSession | undefined;
  let sandbox: Sandbox;
  let page: Page;

  before(async () => {
    await mkdir(resultsDir, { recursive: true });
    session = await startBrowserSession({
      tempPrefix: 'fortellis-e2e-specs-',
      startSandbox: () => startSandbox({ clients: [{ clientId: app.apiKey, clientSecret: app.apiSecret }] }),
      workspaceFiles: [SANDBOX_SPEC_PATH],
      userSettings: sandboxUserSettings,
      logFile: join(resultsDir, 'specs-code-server.log'),
      logDir: join(resultsDir, 'specs'),
    });
    ({ sandbox, page } = session);
  });

  after(async () => {
    await session?.stop();
  });

  it('opens the spec, clicks Call above GET /vehicles, answers the prompts, and reads "Matches the spec" in the response', async () => {
    await getTokenThroughPalette(page, app);
    await page.keyboard.press('Control+P');
    await page.keyboard.type('sandbox-vehicles.yaml');
    await page.waitForSelector('.quick-input-widget .monaco-list-row');
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'sandbox-vehicles.yaml' }).waitFor();
    // Bring GET /vehicles to the middle of the editor (Go to Line), as a person scrolls to it.
    const getLine = readFileSync(SANDBOX_SPEC_PATH, 'utf8').split('\n').indexOf('  /vehicles:') + 2;
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(getLine));
    await page.keyboard.press('Enter');
    const call = page.locator('.codelens-decoration a', { hasText: 'Call' }).first();
    await call.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(resultsDir, 'specs-01-code-lenses.png') });
    await call.click();
    assert.match((await waitForQuickInput(page, 'Call GET /vehicles · make')).title, /make/);
    await pick(page, 'Toyota');
    await waitForQuickInput(page, 'Call GET /vehicles · limit');
    await answer(page, '5');
    await waitForQuickInput(page, 'Call GET /vehicles · Subscription-Id');
    await pick(page, 'test');
    await page.locator('.tab.active', { hasText: 'GET 200 listVehicles' }).waitFor({ timeout: 30_000 });
    // Monaco writes spaces as no-break spaces.
    await page.waitForFunction(
      () =>
        (document.querySelector('.editor-group-container.active .monaco-editor .view-lines') as HTMLElement | null)?.innerText
          .replace(/\u00a0/g, ' ')
          .includes('Matches the spec'),
      undefined,
      { timeout: 15_000 },
    );
    const text = await activeEditorText(page);
    assert.match(text, /\/\/ HTTP 200 OK · \d+ ms · GET http:\/\/127\.0\.0\.1:\d+\/api\/sandbox\/vehicles\/v1\/vehicles\?make=Toyota&limit=5/);
    assert.match(text, /\/\/ ✓ Matches the spec: GET \/vehicles, response 200\./);
    assert.match(text, /"make": "Toyota"/);
    // Code lenses come a moment after the text.
    await page.locator('.codelens-decoration a', { hasText: 'Copy as curl' }).first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(resultsDir, 'specs-02-call-result.png') });
    const [record] = sandbox.apiRequests().filter((seen) => seen.path.endsWith('/vehicles'));
    assert.equal(record?.authenticated, true);
    assert.equal(record?.subscriptionId, 'test');
    assert.equal(record?.query, 'make=Toyota&limit=5');
  });
});
