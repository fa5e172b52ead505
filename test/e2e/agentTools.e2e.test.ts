import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { E2E_RESULTS_DIR as resultsDir, SANDBOX_PROFILE } from '../host/constants';
import { repoRoot } from '../host/paths';
import { sandboxUserSettings } from '../host/workbench';
import { clickDialogButton, getTokenThroughPalette, runCommand, waitForDialog, waitForNotification, waitForProgressToEnd } from '../host/workbenchDriver';
import { type BrowserSession, startBrowserSession } from '../host/workbenchSession';
import { type Sandbox, startSandbox } from '../sandbox/sandboxServer';

const callerDir = join(repoRoot, 'test', 'e2e', 'agentToolCaller');

/**
 * An agent's tool call in the real workbench, opened as a user opens it (no extension-test driver, so VS Code does
 * not confirm by itself): another extension runs the POST tool; VS Code's dialog names the method and the host.
 */
describe("End to end: an agent's POST through fortellis_call_api waits for the user's confirmation", function () {
  const app = { apiKey: 'e2e-agent-key', apiSecret: `e2e-agent-${randomBytes(12).toString('base64url')}` };
  let session: BrowserSession | undefined;
  let sandbox: Sandbox;
  let page: Page;

  const screenshot = (name: string) => page.screenshot({ path: join(resultsDir, `${name}.png`), animations: 'disabled' });
  const posts = () => sandbox.apiRequests().filter((seen) => seen.method === 'POST');

  before(async () => {
    await mkdir(resultsDir, { recursive: true });
    session = await startBrowserSession({
      tempPrefix: 'fortellis-e2e-agent-',
      startSandbox: () => startSandbox({ clients: [{ clientId: app.apiKey, clientSecret: app.apiSecret }] }),
      otherExtensions: [callerDir],
      userSettings: sandboxUserSettings,
      logFile: join(resultsDir, 'agent-tools-code-server.log'),
      logDir: join(resultsDir, 'agent-tools-logs'),
    });
    ({ sandbox, page } = session);
    await getTokenThroughPalette(page, app);
    await waitForNotification(page, `Fortellis token for "${SANDBOX_PROFILE}" ready`);
    await waitForProgressToEnd(page);
  });

  after(async () => {
    await session?.stop();
  });

  async function runPostTool(): Promise<{ message: string; buttons: string[] }> {
    await runCommand(page, 'Agent Tool Caller: Run the Fortellis POST Tool', 'Agent Tool Caller: Run the Fortellis POST Tool');
    return waitForDialog(page, 'Fortellis: POST');
  }

  it('"Cancel" in VS Code\'s confirmation dialog, which names the method, the host and the profile: the call ends Canceled and nothing is sent', async () => {
    const host = new URL(sandbox.apiBaseUrl).host;
    const before = sandbox.apiRequests().length;
    const dialog = await runPostTool();
    await screenshot('agent-tool-01-confirmation');
    assert.match(dialog.message, new RegExp(`Fortellis: POST to ${host.replace(/\./g, '\\.')} as "sandbox"\\?`), dialog.message);
    assert.match(dialog.message, new RegExp(`Send POST ${sandbox.apiBaseUrl.replace(/\./g, '\\.')}/cdk-test/sales/v1/orders`));
    assert.match(dialog.message, new RegExp(`Host: ${host.replace(/\./g, '\\.')}`));
    assert.match(dialog.message, /Subscription-Id: test/);
    assert.ok(dialog.buttons.includes('Cancel') && dialog.buttons.length >= 2, `buttons: ${dialog.buttons.join(', ')}`);
    await clickDialogButton(page, 'Cancel');
    await waitForNotification(page, 'Agent tool call ended');
    const ended = await page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'Agent tool call ended' }).first().innerText();
    assert.match(ended, /^Agent tool call ended: \w*:? ?Canceled/, ended);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(sandbox.apiRequests().length, before, 'the sandbox received nothing');
  });

  it('"Yes": exactly one POST reaches the API, and the tool\'s result comes back', async () => {
    const before = posts().length;
    const dialog = await runPostTool();
    const confirm = dialog.buttons.find((label) => /^(Yes|Continue|Allow)/.test(label));
    assert.ok(confirm, `a confirming button: ${dialog.buttons.join(', ')}`);
    await clickDialogButton(page, confirm);
    await waitForNotification(page, 'Agent tool result');
    const result = await page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'Agent tool result' }).first().innerText();
    await screenshot('agent-tool-02-result');
    assert.match(result, /POST http:\/\/127\.0\.0\.1:\d+\/api\/cdk-test\/sales\/v1\/orders → HTTP 200 OK/);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const sent = posts().slice(before);
    assert.equal(sent.length, 1, 'exactly one request');
    assert.equal(sent[0].body, '{"vin":"E2E-AGENT-1"}');
    assert.equal(sent[0].authenticated, true);
    const shown = await page.locator('.monaco-workbench').innerText();
    for (const token of sandbox.stats().issuedAccessTokens) {
      assert.ok(!shown.includes(token), 'no token on screen');
    }
  });
});
