import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { DEMO_COLLECTION_FILE, type DemoSession, startDemo } from '../host/demoSession';
import {
  APP_COUNTDOWN,
  CODE_SERVER_CALLBACK_TEXT,
  IMPLICIT_SIGN_IN_COMMAND as IMPLICIT,
  LOOPBACK_CALLBACK,
  LOOPBACK_SIGNED_IN_PAGE as LOOPBACK_PAGE_TEXT,
  NEW_APP_COUNTDOWN,
  NEW_USER_COUNTDOWN as USER_COUNTDOWN,
  SANDBOX_PROFILE as PROFILE,
  SIGN_IN_COMMAND as SIGN_IN,
  START_UP_TIMEOUT_MS,
} from '../host/constants';
import { repoRoot } from '../host/paths';
import { type BrowserSession, openInBrowser } from '../host/workbenchSession';
import {
  answer,
  clearNotifications,
  clickDialogButton,
  clickNotificationButton,
  notificationButtons,
  notificationMessage,
  pick,
  replaceUserSettingsJson,
  runCommand,
  runCommandNamed,
  statusBarTooltip,
  waitForDialog,
  waitForNotification,
  waitForProgressToEnd,
  waitForQuickInput,
  waitForStatus,
} from '../host/workbenchDriver';
import { DEMO_CLIENT, isCodeServerCallback } from '../sandbox/sandboxServer';
import type { CallbackMode } from '../../src/core/signIn/callbackModes';
import { allFiles, filesContaining, recordOutput, userDataContaining } from './secretScan';

/**
 * The newcomer tour: what `npm run demo` starts (startDemo, the same code, ports, sandbox and profile), then every
 * command of the README's "Using it" table, top to bottom, from the palette, as a person new to the extension would
 * try them; each step checks what the README says the user sees, and saves a screenshot in test-results/tour/.
 * The steps come from the README's table: a command there without a step here fails.
 */

const README = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const resultsDir = join(repoRoot, 'test-results', 'tour');
const SECOND = 'second-app';
const USER = 'newcomer';
const SIGNED_IN_TOAST = `Signed in to Fortellis as ${USER} (${PROFILE})`;

/** The command names in the first column of the README's "Using it" table, in order (e.g. "Add Profile…", "Edit Profile…"). */
export function readmeCommands(readme: string): string[] {
  const section = /\n## Using it\n([\s\S]*?)\n##/.exec(readme)?.[1] ?? '';
  const rows = section.split('\n').filter((line) => line.startsWith('| **'));
  return rows.flatMap((row) => [...row.split('|')[1].matchAll(/\*\*(.+?)\*\*/g)].map((match) => match[1]));
}

describe('Newcomer tour: the demo as `npm run demo` starts it, every command of the README\'s "Using it" table from the palette', function () {
  const commands = readmeCommands(README);
  let output: ReturnType<typeof recordOutput> | undefined;
  let demo: DemoSession & BrowserSession;
  let context: BrowserContext;
  let page: Page;
  let shotNumber = 0;
  let startedAt = 0;
  /** Screenshot paths by step, for the summary. */
  const seen: Array<{ step: string; saw: string; screenshot: string }> = [];

  async function screenshot(target: Page, name: string): Promise<string> {
    shotNumber += 1;
    const file = join(resultsDir, `${String(shotNumber).padStart(2, '0')}-${name}.png`);
    await target.screenshot({ path: file, animations: 'disabled' });
    return `test-results/tour/${String(shotNumber).padStart(2, '0')}-${name}.png`;
  }

  /** Records what a step saw, with the screenshot of the moment. */
  async function saw(step: string, what: string, name: string, target: Page = page): Promise<void> {
    seen.push({ step, saw: what, screenshot: await screenshot(target, name) });
  }

  before(async function () {
    this.timeout(START_UP_TIMEOUT_MS);
    output = recordOutput();
    await rm(resultsDir, { recursive: true, force: true });
    await mkdir(resultsDir, { recursive: true });
    startedAt = Date.now();
    const started = await startDemo();
    demo = await openInBrowser(started, resultsDir).catch(async (error: unknown) => {
      await started.stop();
      throw error;
    });
    ({ context, page } = demo);
    await waitForStatus(page, /^Fortellis: sandbox · no token$/, 60_000);
  });

  after(async () => {
    output?.stop();
    if (startedAt) {
      console.log(`      tour: ${Math.round((Date.now() - startedAt) / 1000)} s from start-up to the last step`);
      for (const { step, saw: what, screenshot: file } of seen) {
        console.log(`      ${step} — ${what} (${file})`);
      }
    }
    await demo?.stop();
  });

  it('the README\'s "Using it" table names commands of the extension, and the demo\'s guide mentions each', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ title: string }> } };
    const titles = manifest.contributes.commands.map((command) => command.title);
    assert.ok(commands.length >= 15, `the table has its commands: ${commands.join(', ')}`);
    for (const command of commands) {
      assert.ok(titles.includes(command), `"${command}" is a command title in package.json`);
      assert.ok(demo.guide.includes(command.replace(/…$/, '')), `the demo's guide mentions "${command}"`);
    }
  });

  /** What a step checks, by README command. Each runs from the palette and asserts what the README says the user sees. */
  const steps: Record<string, () => Promise<void>> = {
    'Get Fortellis Token': async () => {
      await runCommand(page, 'Fortellis: Get Fortellis Token', 'Fortellis: Get Fortellis Token');
      const box = await waitForQuickInput(page, `API secret for Fortellis profile "${PROFILE}"`);
      assert.equal(box.masked, true, 'the secret box masks what is typed');
      await saw('Get Fortellis Token', `asks for the API secret, masked ("${box.title}")`, 'get-token-secret');
      await answer(page, DEMO_CLIENT.clientSecret);
      await waitForStatus(page, NEW_APP_COUNTDOWN);
      const toast = await notificationMessage(page, `Fortellis token for "${PROFILE}" ready`);
      assert.match(toast, /^Fortellis token for "sandbox" ready: expires in 59m, at \d/);
      await waitForProgressToEnd(page);
      await saw('Get Fortellis Token', `status bar "Fortellis: sandbox · 59m", toast "${toast}"`, 'get-token-countdown');
    },

    'Copy Token': async () => {
      await clearNotifications(page);
      const requests = demo.sandbox.stats().tokenRequests;
      await runCommand(page, 'Fortellis: Copy Token', 'Fortellis: Copy Token');
      await waitForNotification(page, 'copied');
      const toast = await notificationMessage(page, 'copied');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.ok(demo.sandbox.stats().issuedAccessTokens.includes(copied), 'the clipboard holds the token the sandbox issued');
      assert.ok(!toast.includes(copied), 'the token is never shown');
      assert.match(toast, /^Fortellis token for "sandbox" copied: expires in 59m, at \d/);
      assert.equal(demo.sandbox.stats().tokenRequests, requests, 'the cached token, no request');
      await saw('Copy Token', `toast "${toast}"; the clipboard holds the sandbox's token`, 'copy-token');
    },

    'Renew Token': async () => {
      await clearNotifications(page);
      const issued = demo.sandbox.stats().issuedAccessTokens.length;
      await runCommand(page, 'Fortellis: Renew Token', 'Fortellis: Renew Token');
      await waitForNotification(page, 'renewed');
      const toast = await notificationMessage(page, 'renewed');
      assert.match(toast, /^Fortellis token for "sandbox" renewed: expires in 59m, at \d/);
      assert.equal(demo.sandbox.stats().issuedAccessTokens.length, issued + 1, 'a new token');
      await waitForProgressToEnd(page);
      await saw('Renew Token', `toast "${toast}", a new token issued`, 'renew-token');
    },

    'Token Actions…': async () => {
      await clearNotifications(page);
      const expected = ['Copy Token', 'Renew Token', 'Sign In with Browser', 'Choose Token…', 'Switch Profile…', 'Edit Profile…', 'Sign Out', 'Show Log'];
      await runCommand(page, 'Fortellis: Token Actions', 'Fortellis: Token Actions…');
      const fromPalette = await quickPickLabels('Fortellis: sandbox');
      assert.deepEqual(fromPalette, expected);
      await saw('Token Actions…', `a quick pick "Fortellis: sandbox": ${fromPalette.join(', ')}`, 'token-actions');
      await page.keyboard.press('Escape');
      // "What the status bar opens":
      await page.locator('.statusbar-item', { hasText: 'Fortellis: sandbox' }).first().click();
      assert.deepEqual(await quickPickLabels('Fortellis: sandbox'), expected, 'the countdown opens the same');
      await pick(page, 'Copy Token');
      await waitForNotification(page, 'copied');
      await saw('Token Actions…', 'clicking the countdown opens the same list; "Copy Token" there copies', 'token-actions-from-status-bar');
    },

    'Add Profile…': async () => {
      await clearNotifications(page);
      const issued = demo.sandbox.stats().tokenRequests;
      await runCommand(page, 'Fortellis: Add Profile', 'Fortellis: Add Profile…');
      await answerProfileWizard('Add Fortellis Profile', { name: SECOND, apiKey: DEMO_CLIENT.clientId, apiSecret: 'not-the-secret', subscriptionId: 'test' });
      await waitForNotification(page, 'Nothing was saved.');
      const refused = await notificationMessage(page, 'Nothing was saved.');
      assert.match(refused, /^Fortellis \(second-app\): .*Nothing was saved\.$/);
      assert.deepEqual(await notificationButtons(page, 'Nothing was saved.'), ['Try Again', 'Show Log']);
      assert.deepEqual(await profileNames(), [PROFILE], 'a wrong secret is not saved');
      assert.equal(demo.sandbox.stats().tokenRequests, issued + 1, 'the credentials were checked with the server');
      await saw('Add Profile…', `wizard (environment, name, key, masked secret, Subscription-Id); a wrong secret: "${refused}"`, 'add-profile-refused');
      await clickNotificationButton(page, 'Nothing was saved.', 'Try Again');
      await answerProfileWizard('Add Fortellis Profile', {
        name: SECOND,
        apiKey: DEMO_CLIENT.clientId,
        apiSecret: DEMO_CLIENT.clientSecret,
        subscriptionId: 'test',
      });
      await waitForStatus(page, /^Fortellis: second-app · 59m$/);
      await waitForProgressToEnd(page);
      assert.deepEqual(await profileNames(), [PROFILE, SECOND]);
      await saw('Add Profile…', '"Try Again" with the right secret: saved, active, "Fortellis: second-app · 59m"', 'add-profile-saved');
    },

    'Edit Profile…': async () => {
      await runCommand(page, 'Fortellis: Edit Profile', 'Fortellis: Edit Profile…');
      await waitForQuickInputPlaceholder('Edit which profile?');
      await pick(page, SECOND);
      await waitForQuickInput(page, `Edit Fortellis Profile "${SECOND}" (1/5)`);
      await pick(page, 'Local sandbox');
      await waitForQuickInput(page, '(2/5)');
      await answer(page, SECOND);
      await waitForQuickInput(page, '(3/5)');
      await answer(page, DEMO_CLIENT.clientId);
      const secret = await waitForQuickInput(page, '(4/5)');
      assert.equal(secret.masked, true);
      assert.match(secret.message, /Leave empty to keep the stored one/);
      await saw('Edit Profile…', `the same steps, prefilled; the secret may stay: "${secret.message}"`, 'edit-profile-secret');
      await answer(page, '');
      await waitForQuickInput(page, '(5/5)');
      await answer(page, 'sandbox-dealer-1');
      await waitUntil(async () => (await profileSetting(SECOND))?.subscriptionId === 'sandbox-dealer-1', 'the edited profile in settings.json');
      await waitForProgressToEnd(page);
      await saw('Edit Profile…', 'saved after the server accepted the stored secret: Subscription-Id now sandbox-dealer-1', 'edit-profile-saved');
    },

    'Switch Profile…': async () => {
      await runCommand(page, 'Fortellis: Switch Profile', 'Fortellis: Switch Profile…');
      const labels = await quickPickLabels('Switch Fortellis Profile');
      assert.deepEqual(labels, [PROFILE, SECOND, 'Add Profile…']);
      await saw('Switch Profile…', `a quick pick: ${labels.join(', ')}`, 'switch-profile');
      await pick(page, PROFILE);
      await waitForStatus(page, APP_COUNTDOWN);
      await saw('Switch Profile…', 'picked "sandbox": the status bar shows "Fortellis: sandbox · Nm", the minutes left', 'switch-profile-done');
      // Back to the second app, which the next steps sign out and remove.
      await runCommand(page, 'Fortellis: Switch Profile', 'Fortellis: Switch Profile…');
      await quickPickLabels('Switch Fortellis Profile');
      await pick(page, SECOND);
      await waitForStatus(page, /^Fortellis: second-app · 59m$/);
    },

    'Sign Out': async () => {
      await clearNotifications(page);
      await runCommand(page, 'Fortellis: Sign Out', 'Fortellis: Sign Out');
      await waitForQuickInputPlaceholder('Sign out of which profile?');
      await pick(page, SECOND);
      const dialog = await waitForDialog(page, `Sign out of Fortellis profile "${SECOND}"?`);
      assert.match(dialog.message, /Its API secret and cached tokens are deleted from this machine\. The profile stays\./);
      await saw('Sign Out', `a modal dialog: "${dialog.message.replace(/\s+/g, ' ')}"`, 'sign-out-dialog');
      await clickDialogButton(page, 'Sign Out');
      await waitForNotification(page, `Signed out of "${SECOND}".`);
      await waitForStatus(page, /^Fortellis: second-app · no token$/);
      assert.deepEqual(await profileNames(), [PROFILE, SECOND], 'the profile stays');
      await saw('Sign Out', 'toast "Signed out of "second-app"."; the status bar: "Fortellis: second-app · no token"', 'sign-out-done');
    },

    'Remove Profile…': async () => {
      await clearNotifications(page);
      await runCommand(page, 'Fortellis: Remove Profile', 'Fortellis: Remove Profile…');
      await waitForQuickInputPlaceholder('Remove which profile?');
      await pick(page, SECOND);
      const dialog = await waitForDialog(page, `Remove Fortellis profile "${SECOND}"?`);
      await saw('Remove Profile…', `a modal dialog: "${dialog.message.replace(/\s+/g, ' ')}"`, 'remove-profile-dialog');
      await clickDialogButton(page, 'Remove');
      await waitForNotification(page, `Removed profile "${SECOND}".`);
      await waitUntil(async () => (await profileNames()).join() === PROFILE, 'settings.json without the removed profile');
      await waitForStatus(page, APP_COUNTDOWN);
      await saw('Remove Profile…', 'toast "Removed profile "second-app"."; back to "Fortellis: sandbox · Nm"', 'remove-profile-done');
    },

    'Sign In with Browser': async () => {
      // The demo's profile as it starts: the default callback mode, the URI handler.
      assert.equal((await profileSetting(PROFILE))?.callbackMode, undefined, 'the demo profile has the default callback mode');
      const uri = await signInWithBrowser(SIGN_IN, 'uriHandler', 'sign-in-uri-handler');
      assert.ok(uri.openedThroughProxy, `code-server opened the sign-in page through its port proxy: ${uri.firstUrl}`);
      assert.ok(isCodeServerCallback(uri.redirectUri), `code-server's callback URL: ${uri.redirectUri}`);
      assert.equal(uri.landedText, `Visual Studio Code\n${CODE_SERVER_CALLBACK_TEXT}`);
      assert.match(await userTooltip(), /with the refresh token/);
      seen.push({
        step: 'Sign In with Browser',
        saw: `URI handler (default): the sign-in page via /proxy/4500/ sent on to ${new URL(demo.sandbox.issuer).origin}; landed on code-server's callback page "${CODE_SERVER_CALLBACK_TEXT}"; "${uri.toast}"; "Fortellis user: sandbox · 59m"`,
        screenshot: uri.workbenchShot,
      });

      await setCallbackMode('paste');
      const paste = await signInWithBrowser(SIGN_IN, 'paste', 'sign-in-paste');
      assert.equal(paste.redirectUri, LOOPBACK_CALLBACK);
      assert.match(paste.landedText, /^This site can’t be reached\n127\.0\.0\.1 refused to connect\./);
      seen.push({
        step: 'Sign In with Browser',
        saw: `paste: the browser lands on ${LOOPBACK_CALLBACK} (nothing listens), the address pasted into VS Code's input box; "${paste.toast}"`,
        screenshot: paste.workbenchShot,
      });

      await setCallbackMode('loopback');
      const loopback = await signInWithBrowser(SIGN_IN, 'loopback', 'sign-in-loopback');
      assert.equal(loopback.redirectUri, LOOPBACK_CALLBACK);
      assert.equal(loopback.landedText, LOOPBACK_PAGE_TEXT);
      seen.push({
        step: 'Sign In with Browser',
        saw: `loopback: the extension's page at ${LOOPBACK_CALLBACK} says "Signed in to Fortellis"; "${loopback.toast}"`,
        screenshot: loopback.workbenchShot,
      });
    },

    'Sign In with Browser (Legacy Implicit Flow)': async () => {
      const implicit = await signInWithBrowser(IMPLICIT, 'loopback', 'implicit');
      assert.equal(implicit.responseType, 'id_token token');
      assert.equal(implicit.redirectUri, LOOPBACK_CALLBACK);
      assert.equal(implicit.landedText, LOOPBACK_PAGE_TEXT);
      assert.match(await userTooltip(), /No refresh token: sign in with the browser again when it expires\./);
      seen.push({
        step: 'Sign In with Browser (Legacy Implicit Flow)',
        saw: `id_token token in the fragment, read by the loopback page; "${implicit.toast}"; no refresh token`,
        screenshot: implicit.workbenchShot,
      });
    },

    'Show Callback URL': async () => {
      const loopback = await showCallbackUrl();
      assert.equal(loopback.message, `Callback URL for Local loopback server, copied to the clipboard: ${LOOPBACK_CALLBACK}`);
      assert.equal(loopback.copied, LOOPBACK_CALLBACK);
      await saw('Show Callback URL', `loopback mode: "${loopback.message}"`, 'callback-url-loopback');
      // Back to the demo's default mode: in code-server the URI handler's URL, and why not to register it there.
      await setCallbackMode(undefined);
      const uriHandler = await showCallbackUrl();
      assert.ok(isCodeServerCallback(uriHandler.copied), uriHandler.copied);
      assert.equal(
        uriHandler.message,
        `Callback URL for VS Code URI handler, copied to the clipboard: ${uriHandler.copied}. In browser-based VS Code this URL changes with every sign-in, so Fortellis cannot match a registered one: use the loopback mode there.`,
      );
      await saw('Show Callback URL', `URI handler (default) in code-server: "${uriHandler.message}"`, 'callback-url-uri-handler');
    },

    'Choose Token…': async () => {
      await clearNotifications(page);
      await runCommand(page, 'Fortellis: Choose Token', 'Fortellis: Choose Token…');
      const choices = await quickPickLabels(`Fortellis: ${PROFILE} · Choose Token`);
      assert.deepEqual(choices, ["The App's Token", "The Signed-In User's Token"]);
      await saw('Choose Token…', "the app's token (in use) or the signed-in user's, for user-context APIs", 'choose-token');
      await pick(page, "The Signed-In User's Token");
      await waitForNotification(page, `Requests of "${PROFILE}" now use the signed-in user's token`);
      await saw('Choose Token…', `toast "Requests of "${PROFILE}" now use the signed-in user's token (browser sign-in)."`, 'choose-token-user');
      // Back to the app's token for the steps after this one.
      await clearNotifications(page);
      await runCommand(page, 'Fortellis: Choose Token', 'Fortellis: Choose Token…');
      await quickPickLabels(`Fortellis: ${PROFILE} · Choose Token`);
      await pick(page, "The App's Token");
      await waitForNotification(page, `Requests of "${PROFILE}" now use the app's token`);
    },

    'Insert Request Snippet': async () => {
      await clearNotifications(page);
      await runCommand(page, 'Create: New File', 'Create: New File...');
      await pick(page, 'Text File');
      await page.locator('.monaco-editor.focused').waitFor();
      await runCommand(page, 'Change Language Mode', 'Change Language Mode');
      await pick(page, 'Python');
      await runCommand(page, 'Fortellis: Insert Request Snippet', 'Fortellis: Insert Request Snippet');
      await waitForQuickInput(page, 'Insert Request Snippet · Method');
      await pick(page, 'GET');
      const url = await waitForQuickInput(page, 'Insert Request Snippet · URL');
      assert.equal(url.value, `${demo.sandbox.apiBaseUrl}/`, 'the URL starts from the sandbox API base');
      await answer(page, vehiclesUrl());
      await waitForQuickInput(page, 'Insert Request Snippet · Subscription-Id');
      const subscriptions = await quickPickLabels('Insert Request Snippet · Subscription-Id');
      assert.deepEqual(subscriptions.slice(0, 1), ['test'], "the profile's default first");
      assert.ok(subscriptions.includes('sandbox-dealer-1'), `the app's subscriptions: ${subscriptions.join(', ')}`);
      await pick(page, 'test');
      await waitForQuickInput(page, 'Insert Request Snippet · Token');
      await pick(page, 'Read the token from FORTELLIS_TOKEN');
      const editor = activeEditor('Subscription-Id');
      await editor.waitFor();
      const text = (await editor.innerText()).replace(/\u00a0/g, ' ');
      assert.match(text, /import requests/);
      assert.match(text, /FORTELLIS_TOKEN/);
      assert.match(text, /"Subscription-Id": "test"/);
      assert.match(text, /"Request-Id": str\(uuid\.uuid4\(\)\),/);
      assert.ok(!demo.sandbox.stats().issuedAccessTokens.some((token) => text.includes(token)), 'no token in the file');
      await saw(
        'Insert Request Snippet',
        'a Python requests snippet at the cursor: Authorization from FORTELLIS_TOKEN, Subscription-Id "test", a new Request-Id made at each run',
        'insert-request-snippet',
      );

      // The same request into a .http file of the workspace, sent by httpyac from the integrated terminal with the
      // token from the .env the extension keeps beside it: no FORTELLIS_TOKEN in its environment.
      await clearNotifications(page);
      await writeFile(join(demo.workspace, 'call.http'), '');
      await page.keyboard.press('Control+P');
      await page.keyboard.type('call.http');
      await page.waitForFunction(() => (document.querySelector('.quick-input-list')?.textContent ?? '').includes('call.http'));
      await page.keyboard.press('Enter');
      await page.locator('.tab.active', { hasText: 'call.http' }).waitFor();
      await runCommand(page, 'Fortellis: Insert Request Snippet', 'Fortellis: Insert Request Snippet');
      await waitForQuickInput(page, 'Insert Request Snippet · Method');
      await pick(page, 'GET');
      // The URL of the Python snippet is a recent URL now: picked, then confirmed in its input box.
      await waitForUrlStep('recent', 'Insert Request Snippet · URL');
      await pick(page, vehiclesUrl());
      await waitForUrlStep('edit', 'Insert Request Snippet · URL');
      await page.keyboard.press('Enter');
      await waitForQuickInput(page, 'Insert Request Snippet · Subscription-Id');
      await pick(page, 'test');
      await waitForQuickInput(page, 'Insert Request Snippet · Token');
      await pick(page, 'Read the token from FORTELLIS_TOKEN');
      await activeEditor('{{$dotenv FORTELLIS_TOKEN}}').waitFor();
      await page.keyboard.press('Control+S');
      await waitForNotification(page, 'call.http reads the Fortellis token from .env');
      await saw('Insert Request Snippet', 'in call.http: the .http request, and the offer "Keep Token in .env" once it is saved', 'http-snippet-offer');
      await clickNotificationButton(page, 'call.http reads the Fortellis token from .env', 'Keep Token in .env');
      const dotenv = join(demo.workspace, '.env');
      await waitUntil(async () => (await readFile(dotenv, 'utf8').catch(() => '')).includes('FORTELLIS_TOKEN='), 'the token in .env');
      const requests = demo.sandbox.apiRequests().length;
      await runCommand(page, 'Terminal: Create New Terminal', 'Terminal: Create New Terminal');
      await page.locator('.terminal-wrapper.active .xterm-screen').waitFor();
      const httpyac = join(repoRoot, 'node_modules', '.bin', 'httpyac');
      await page.keyboard.type(`for run in 1 2; do env -u FORTELLIS_TOKEN -u FORTELLIS_TOKEN_FILE '${httpyac}' send call.http --all; done`);
      await page.keyboard.press('Enter');
      await waitUntil(async () => demo.sandbox.apiRequests().length >= requests + 2, 'httpyac to send the file twice', 60_000);
      const sent = demo.sandbox.apiRequests().slice(requests);
      assert.deepEqual(
        sent.map((record) => `${record.method} ${record.path} ${record.status} ${record.authenticated} ${record.subscriptionId}`),
        Array(2).fill('GET /api/cdk-test/sales/v1/vehicles 200 true test'),
      );
      assert.notEqual(sent[0].requestId, sent[1].requestId, 'a new Request-Id each send');
      await saw(
        'Insert Request Snippet',
        'httpyac in the integrated terminal sends call.http twice: 200 with the token from .env, two Request-Ids',
        'http-snippet-httpyac',
      );
      await runCommand(page, 'View: Toggle Panel Visibility', 'View: Toggle Panel Visibility');
    },

    'Call API…': async () => {
      const requests = demo.sandbox.apiRequests().length;
      const ok = await callApi('test', '"subscriptionId": "test"');
      assert.match(ok, /^\/\/ HTTP 200 OK · \d+ ms · GET \S+\n\/\/ Request-Id: [0-9a-f-]{36}\n/);
      assert.match(ok, /"subscriptionId": "test"/);
      assert.equal(demo.sandbox.apiRequests().length, requests + 1);
      assert.equal(demo.sandbox.apiRequests().at(-1)?.authenticated, true, 'the gateway accepted the token');
      await saw(
        'Call API…',
        'GET …/cdk-test/sales/v1/vehicles: the one response view: "HTTP 200 OK · N ms · GET …", Request-Id, headers as comments, then the JSON body',
        'call-api-200',
      );
      await clearNotifications(page);
      const refused = await callApi('sandbox-dealer-inactive', 'API-SUBSCRIPTION-INACTIVE');
      assert.match(refused, /^(\/\/ )?HTTP 403 .*\n(\/\/ )?Request-Id: [0-9a-f-]{36}\n(\/\/ )?API-SUBSCRIPTION-INACTIVE: /);
      await waitForNotification(page, 'Fortellis gateway: API-SUBSCRIPTION-INACTIVE');
      const hint = await notificationMessage(page, 'Fortellis gateway');
      await saw('Call API…', `an inactive subscription: 403 and the hint "${hint}"`, 'call-api-gateway-error');
    },

    'Copy Request as curl': async () => {
      await clearNotifications(page);
      // The active editor is Call API's last response (the inactive subscription).
      await activeEditor('HTTP 403').waitFor();
      await runCommand(page, 'Fortellis: Copy Request as curl', 'Fortellis: Copy Request as curl');
      await waitForNotification(page, 'the request is on the clipboard as a curl command');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.match(
        copied,
        /^curl '\S+\/cdk-test\/sales\/v1\/vehicles' -H "Authorization: Bearer \$\(cat "\$FORTELLIS_TOKEN_FILE" 2>\/dev\/null \|\| printf %s "\$FORTELLIS_TOKEN"\)" -H 'Subscription-Id: sandbox-dealer-inactive' /,
      );
      assert.ok(!demo.sandbox.stats().issuedAccessTokens.some((token) => copied.includes(token)), 'no token in the command');
      await saw('Copy Request as curl', "the response's request on the clipboard as curl, the token read from $FORTELLIS_TOKEN_FILE", 'copy-as-curl');
    },

    'Request History…': async () => {
      await clearNotifications(page);
      const requests = demo.sandbox.apiRequests().length;
      await runCommandNamed(page, 'Fortellis: Request History', 'Fortellis: Request History…');
      const entries = await quickPickLabels('Fortellis: Request History');
      assert.ok(entries.length >= 2 && entries.every((label) => label.startsWith(`GET ${vehiclesUrl()}`)), `Call API's requests: ${entries.join(' | ')}`);
      await saw('Request History…', `the requests Call API sent, newest first (${entries.length})`, 'request-history');
      await pick(page, entries[0]);
      await quickPickLabels(`GET ${vehiclesUrl()}`);
      await pick(page, 'Send Again');
      // Call API's own 403 view is open already: the new answer is told by the request the sandbox sees.
      await waitUntil(async () => demo.sandbox.apiRequests().length === requests + 1, 'the request sent again');
      await waitForProgressToEnd(page);
      await activeEditor('HTTP 403').waitFor();
      assert.equal(demo.sandbox.apiRequests().at(-1)?.authenticated, true, 'with a valid token');
      await saw(
        'Request History…',
        'Send Again: the newest request (the inactive subscription) sent once more, its answer in the response view',
        'request-history-again',
      );
    },

    'Clear Request History': async () => {
      await clearNotifications(page);
      await runCommandNamed(page, 'Fortellis: Clear Request History', 'Fortellis: Clear Request History');
      const dialog = await waitForDialog(page, 'Clear the Fortellis request history?');
      await saw('Clear Request History', `a modal dialog: "${dialog.message.replace(/\s+/g, ' ')}"`, 'clear-history-dialog');
      await clickDialogButton(page, 'Clear');
      await waitForNotification(page, 'Cleared the Fortellis request history.');
      await saw('Clear Request History', 'toast "Cleared the Fortellis request history."', 'clear-history-done');
    },

    'New Request…': async () => {
      await clearNotifications(page);
      // One editor group, so that the request has the width of the window.
      await runCommand(page, 'View: Join All Editor Groups', 'View: Join All Editor Groups');
      await runCommandNamed(page, 'Fortellis: New Request', 'Fortellis: New Request…');
      await activeEditor('Fortellis Auth sends each request here').waitFor();
      await page.locator('.statusbar-item', { hasText: 'Ln 8, Col 24' }).waitFor();
      // The cursor waits after {{base}}/cdk-test/, where the path goes; then the body, typed with a trailing comma first.
      await page.keyboard.insertText('sales/v1/orders');
      await page.keyboard.press('Control+End');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('End');
      await page.keyboard.insertText('"vin": "1FTFW1E5",');
      const squiggle = page.locator('.editor-group-container.active .squiggly-warning').first();
      await squiggle.waitFor({ timeout: 10_000 });
      await saw(
        'New Request…',
        'a .http request under the API base, the cursor after {{base}}/cdk-test/; a trailing comma in the JSON body flagged as typed',
        'new-request-broken-json',
      );
      await page.keyboard.press('Backspace');
      await squiggle.waitFor({ state: 'detached', timeout: 10_000 });
    },

    'Send Request with Fortellis Token': async () => {
      await clearNotifications(page);
      const sent = await sendWithLens(() =>
        saw('Send Request with Fortellis Token', 'the code lens "Send with Fortellis token" above the request line', 'send-request-lens'),
      );
      assert.equal(sent?.authenticated, true, 'with a valid token');
      assert.equal(`${sent?.method} ${sent?.path}`, 'POST /api/cdk-test/sales/v1/orders');
      assert.equal(sent?.body, '{\n  "vin": "1FTFW1E5"\n}', 'the body as typed');
      await saw(
        'Send Request with Fortellis Token',
        'POST …/cdk-test/sales/v1/orders sent: "HTTP 200 OK", its Request-Id and the JSON answer in the response view',
        'send-request-response',
      );
    },

    'Import Postman Collection…': async () => {
      await clearNotifications(page);
      await runCommand(page, 'View: Join All Editor Groups', 'View: Join All Editor Groups');
      await runCommandNamed(page, 'Fortellis: Import Postman Collection', 'Fortellis: Import Postman Collection…');
      // Browser-based VS Code's open dialog: a path in an input box.
      await waitForQuickInput(page, 'Import Postman Collection');
      // The dialog fills in the workspace folder first: the path is typed once it has.
      await page.waitForFunction(
        (folder) => (document.querySelector('.quick-input-widget .quick-input-box input') as HTMLInputElement | null)?.value === folder,
        `${demo.workspace}/`,
      );
      await answer(page, join(demo.workspace, DEMO_COLLECTION_FILE));
      await activeEditor('GET {{baseUrl}}/vehicles').waitFor({ timeout: 15_000 });
      await saw(
        'Import Postman Collection…',
        `${DEMO_COLLECTION_FILE} as a .http file: folders as sections, {{baseUrl}} a variable, the Fortellis headers`,
        'postman-import',
      );
      const sent = await sendWithLens();
      assert.equal(`${sent?.method} ${sent?.path} ${sent?.status} ${sent?.authenticated}`, 'GET /api/sandbox/vehicles/v1/vehicles 200 true');
      assert.equal(sent?.subscriptionId, 'test', 'the Subscription-Id the import wrote');
      await saw(
        'Import Postman Collection…',
        'its first request, "List vehicles", sent with the lens: "HTTP 200 OK" in the response view',
        'postman-import-sent',
      );
    },

    'Inspect Token': async () => {
      await clearNotifications(page);
      await runCommand(page, 'Fortellis: Inspect Token', 'Fortellis: Inspect Token');
      const choices = await quickPickLabels('Inspect Token');
      assert.deepEqual(choices, ['The app token of "sandbox"', 'The signed-in user\'s token of "sandbox"', 'Paste a token…']);
      await pick(page, 'The app token of "sandbox"');
      const editor = activeEditor('The gateway');
      await editor.waitFor();
      // Long lines wrap in the editor: the checks are read with the wrapping undone.
      const text = (await editor.innerText()).replace(/\u00a0/g, ' ').replace(/\n(?!- |#|`|\{|\}|\s)/g, '');
      assert.match(text, /The gateway should accept this token\./);
      for (const check of ['signature: Signed with', 'issuer: iss is "http://127.0.0.1:4500/oauth2/sandbox"', 'audience: aud is', 'expiry:']) {
        assert.ok(text.includes(`✓ ${check}`), `✓ ${check}\n${text}`);
      }
      await waitForProgressToEnd(page);
      await saw(
        'Inspect Token',
        'app token, user token or pasted; "Fortellis token.md": the gateway should accept it, ✓ signature (JWKS), issuer, audience, expiry',
        'inspect-token',
      );
    },

    'Write Token to File…': async () => {
      await clearNotifications(page);
      const file = join(demo.workspace, 'currentToken.json');
      await runCommand(page, 'Fortellis: Write Token to File', 'Fortellis: Write Token to File…');
      // Browser-based VS Code's save dialog: a path in an input box, the workspace's currentToken.json proposed.
      await waitForQuickInput(page, 'Fortellis: keep the token in this file');
      // The dialog fills in the folder, then the proposed name.
      await page.waitForFunction(() =>
        (document.querySelector('.quick-input-widget .quick-input-box input') as HTMLInputElement | null)?.value.endsWith('currentToken.json'),
      );
      const dialog = await waitForQuickInput(page, 'Fortellis: keep the token in this file');
      assert.equal(dialog.value, `${demo.workspace}/currentToken.json`);
      await saw('Write Token to File…', `a save dialog proposing ${dialog.value}`, 'write-token-dialog');
      await page.keyboard.press('Enter');
      await waitForNotification(page, 'Fortellis token written to currentToken.json');
      const toast = await notificationMessage(page, 'Fortellis token written');
      assert.equal(toast, 'Fortellis token written to currentToken.json; it is rewritten on every renewal while VS Code runs.');
      const first = await tokenInFile(file);
      assert.ok(demo.sandbox.stats().issuedAccessTokens.includes(first), 'the file holds the app token');
      await saw('Write Token to File…', `toast "${toast}"`, 'write-token-written');
      // Renewed: the file follows.
      await clearNotifications(page);
      await runCommand(page, 'Fortellis: Renew Token', 'Fortellis: Renew Token');
      await waitUntil(async () => (await tokenInFile(file)) !== first, 'the file to hold the renewed token');
      assert.equal(await tokenInFile(file), demo.sandbox.stats().issuedAccessTokens.at(-1), 'the newest token');
    },

    'Stop Writing Token to File…': async () => {
      await clearNotifications(page);
      const file = join(demo.workspace, 'currentToken.json');
      await runCommand(page, 'Fortellis: Stop Writing Token to File', 'Fortellis: Stop Writing Token to File…');
      const files = await quickPickLabels('Fortellis: stop writing the token to these files');
      // The .env beside call.http (Insert Request Snippet's "Keep Token in .env") and currentToken.json.
      assert.deepEqual(files, ['.env', 'currentToken.json']);
      await saw('Stop Writing Token to File…', 'a list of the files kept fresh, each ticked', 'stop-writing-pick');
      await page.keyboard.press('Enter');
      await waitForNotification(page, 'Stopped writing the Fortellis token to .env, currentToken.json');
      const toast = await notificationMessage(page, 'Stopped writing');
      const kept = await tokenInFile(file);
      await clearNotifications(page);
      await runCommand(page, 'Fortellis: Renew Token', 'Fortellis: Renew Token');
      await waitForNotification(page, 'renewed');
      await waitForProgressToEnd(page);
      assert.equal(await tokenInFile(file), kept, 'a renewal no longer rewrites it');
      await saw('Stop Writing Token to File…', `toast "${toast}"; the next renewal leaves the file alone`, 'stop-writing-done');
    },

    'Show Log': async () => {
      await clearNotifications(page);
      await runCommand(page, 'Fortellis: Show Log', 'Fortellis: Show Log');
      const panel = page.locator('.part.panel .monaco-editor .view-lines', { hasText: '/v1/token' }).first();
      await panel.waitFor();
      const text = (await panel.innerText()).replace(/\u00a0/g, ' ');
      assert.match(text, /POST http:\/\/127\.0\.0\.1:4500\/oauth2\/sandbox\/v1\/token/);
      assert.ok(!text.includes(DEMO_CLIENT.clientSecret), 'no secret in the log');
      assert.ok(!demo.sandbox.stats().issuedAccessTokens.some((token) => text.includes(token)), 'no token in the log');
      const channel = await page
        .locator('.part.panel select')
        .first()
        .evaluate((select: HTMLSelectElement) => select.options[select.selectedIndex]?.text ?? '');
      assert.equal(channel, 'Fortellis Auth');
      await saw('Show Log', `the Output panel, channel "${channel}": token requests, no secret or token`, 'show-log');
    },
  };

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await screenshot(page, `FAILED-${(this.currentTest.title.split(':')[0] ?? 'step').replace(/\W+/g, '-')}`).catch(() => undefined);
    }
  });

  for (const command of commands) {
    it(`${command}`, async function () {
      this.timeout(180_000);
      const step = steps[command];
      assert.ok(step, `The README's "Using it" table lists "${command}", which the newcomer tour does not try: add a step for it.`);
      await step();
    });
  }

  it("every step of the tour is a command of the README's table", () => {
    assert.deepEqual(
      Object.keys(steps).filter((command) => !commands.includes(command)),
      [],
    );
  });

  it('the walkthrough: "Welcome: Open Walkthrough…" → Get Started with Fortellis Auth, its six steps and their images', async () => {
    // A walkthrough shows its images beside the steps only in a wide editor: close the others (the snippet unsaved).
    await runCommand(page, 'View: Close All Editors', 'View: Close All Editors');
    // Either every editor closes, or VS Code first asks about the unsaved one: wait for whichever comes.
    const asked = await page
      .waitForFunction(() => {
        if (Array.from(document.querySelectorAll('.monaco-dialog-box')).some((box) => (box.textContent ?? '').includes('Do you want to save'))) {
          return 'asked';
        }
        return document.querySelectorAll('.editor-group-container .tabs-container .tab').length === 0 ? 'closed' : false;
      })
      .then((handle) => handle.jsonValue());
    if (asked === 'asked') {
      await clickDialogButton(page, "Don't Save");
    }
    await runCommand(page, 'View: Hide Panel', 'View: Hide Panel');
    await runCommand(page, 'Close Primary Side Bar', 'View: Close Primary Side Bar');
    await runCommand(page, 'Welcome: Open Walkthrough', 'Welcome: Open Walkthrough...');
    await pick(page, 'Get Started with Fortellis Auth');
    const walkthrough = page.locator('.gettingStartedContainer');
    await walkthrough.getByText('Add a profile (or use the sandbox)').first().waitFor();
    const titles = (await walkthrough.locator('.getting-started-step .step-title').allInnerTexts()).map((title) => title.trim());
    assert.deepEqual(titles, [
      'Add a profile (or use the sandbox)',
      'Get a token',
      'Watch the countdown',
      'Copy the token',
      'Insert a request snippet',
      'Call an API',
    ]);
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('.gettingStartedContainer .getting-started-media img')).some(
        (img) => (img as HTMLImageElement).checkVisibility() && (img as HTMLImageElement).naturalWidth > 0,
      ),
    );
    await saw('Walkthrough', `"Get Started with Fortellis Auth": ${titles.length} steps, the first one's image shown`, 'walkthrough');
  });

  it("leaves no issued token in the test output, the screenshots' folder or the VS Code user-data folder (logs included)", async () => {
    const needles: Record<string, string> = {};
    demo.sandbox.stats().issuedAccessTokens.forEach((token, index) => (needles[`access token ${index + 1}`] = token));
    assert.ok(Object.keys(needles).length >= 6);
    const logs = (await allFiles(demo.userDataDir)).filter((file) => file.endsWith('Fortellis Auth.log'));
    assert.ok(logs.length > 0, "the extension's log is scanned");
    assert.deepEqual(await userDataContaining(demo.userDataDir, { ...needles, 'API secret': DEMO_CLIENT.clientSecret }), []);
    assert.deepEqual(await filesContaining(resultsDir, needles), []);
    const printed = output?.text() ?? '';
    for (const [name, needle] of Object.entries(needles)) {
      assert.ok(!printed.includes(needle), `${name}: not in the test output`);
    }
    assert.ok((await readdir(resultsDir)).filter((name) => name.endsWith('.png')).length >= 30, 'a screenshot per step');
  });

  // ——— helpers: what a person does ———

  /** The labels of the open quick pick's rows (icons left out), once its title contains `title`. */
  async function quickPickLabels(title: string): Promise<string[]> {
    await waitForQuickInput(page, title);
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name').first().waitFor();
    // A row's first label is its label; the description and detail (e.g. an issuer) come after it.
    const labels = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.quick-input-widget .quick-input-list .monaco-list-row')).map(
        (row) => (row.querySelector('.label-name') as HTMLElement | null)?.innerText ?? '',
      ),
    );
    return labels.map((label) => label.replace(/\u00a0/g, ' ').trim());
  }

  async function waitForQuickInputPlaceholder(placeholder: string): Promise<void> {
    await page.locator(`.quick-input-widget .quick-input-box input[placeholder="${placeholder}"]`).waitFor();
  }

  async function answerProfileWizard(title: string, answers: { name: string; apiKey: string; apiSecret: string; subscriptionId: string }): Promise<void> {
    await waitForQuickInput(page, `${title} (1/5)`);
    await pick(page, 'Local sandbox');
    await waitForQuickInput(page, `${title} (2/5)`);
    await answer(page, answers.name);
    await waitForQuickInput(page, `${title} (3/5)`);
    await answer(page, answers.apiKey);
    const secret = await waitForQuickInput(page, `${title} (4/5)`);
    assert.equal(secret.masked, true, 'the secret box masks what is typed');
    await answer(page, answers.apiSecret);
    await waitForQuickInput(page, `${title} (5/5)`);
    await answer(page, answers.subscriptionId);
  }

  function settingsFile(): string {
    return join(demo.userDataDir, 'User', 'settings.json');
  }

  async function settings(): Promise<Record<string, unknown>> {
    return JSON.parse(await readFile(settingsFile(), 'utf8')) as Record<string, unknown>;
  }

  async function profileSetting(name: string): Promise<Record<string, unknown> | undefined> {
    const profiles = ((await settings())['fortellis.profiles'] ?? []) as Array<Record<string, unknown>>;
    return profiles.find((profile) => profile.name === name);
  }

  async function profileNames(): Promise<string[]> {
    return (((await settings())['fortellis.profiles'] ?? []) as Array<{ name: string }>).map((profile) => profile.name);
  }

  /** As a user changes the callback mode: "callbackMode" on the profile in the user settings (JSON), then checked with Show Callback URL. */
  async function setCallbackMode(mode: CallbackMode | undefined): Promise<void> {
    const current = await settings();
    current['fortellis.profiles'] = (current['fortellis.profiles'] as Array<Record<string, unknown>>).map(({ callbackMode: _old, ...profile }) =>
      profile.name === PROFILE && mode ? { ...profile, callbackMode: mode } : profile,
    );
    const text = JSON.stringify(current, null, 2);
    await replaceUserSettingsJson(page, text, settingsFile());
    const label = { uriHandler: 'VS Code URI handler', loopback: 'Local loopback server', paste: 'Paste the URL from the browser' }[mode ?? 'uriHandler'];
    await waitUntil(async () => (await showCallbackUrl()).message.startsWith(`Callback URL for ${label},`), `the extension to use the ${label} mode`, 15_000);
  }

  async function showCallbackUrl(): Promise<{ message: string; copied: string }> {
    await clearNotifications(page);
    await runCommand(page, 'Fortellis: Show Callback URL', 'Fortellis: Show Callback URL');
    await waitForNotification(page, 'Callback URL for');
    const message = await notificationMessage(page, 'Callback URL for');
    return { message, copied: await page.evaluate(() => navigator.clipboard.readText()) };
  }

  async function userTooltip(): Promise<string> {
    return statusBarTooltip(page, 'Fortellis user: sandbox · ', 'Fortellis user token');
  }

  /**
   * One browser sign-in from the palette: the page VS Code opens (code-server: through its port proxy), the sandbox's
   * sign-in page (any user name and password), its consent page, then where the browser lands; paste mode: the address
   * pasted into VS Code. Returns what the person saw.
   */
  async function signInWithBrowser(command: string, mode: CallbackMode, name: string) {
    await clearNotifications(page);
    // Where the browser went: the sign-in page's address as VS Code opened it, and the authorize request.
    const requests: string[] = [];
    const onRequest = (request: Request) => {
      const url = request.url();
      if (url.startsWith(`${demo.server.baseUrl}/proxy/`) || url.startsWith(`${demo.sandbox.issuer}/v1/authorize?`)) {
        requests.push(url);
      }
    };
    context.on('request', onRequest);
    const [popup] = await Promise.all([context.waitForEvent('page'), runCommandNamed(page, command, command)]);
    await waitForNotification(page, `Signing in to Fortellis (${PROFILE})… complete the sign-in in your browser.`);
    const prompt = popup.locator('input[name="prompt"]');
    await prompt.first().waitFor({ state: 'attached' });
    const authorize = new URL(popup.url());
    assert.equal(
      `${authorize.origin}${authorize.pathname}`.replace(/\/interaction\/.*$/, ''),
      demo.sandbox.issuer,
      `the sandbox's own page: ${authorize.origin}`,
    );
    if ((await prompt.first().getAttribute('value')) === 'login') {
      await screenshot(popup, `${name}-sign-in-page`);
      await popup.locator('input[name="login"]').fill(USER);
      await popup.locator('input[name="password"]').fill('any password');
      await popup.locator('button[type="submit"]').click();
      await popup.locator('input[name="prompt"][value="consent"]').waitFor({ state: 'attached' });
    }
    await screenshot(popup, `${name}-consent-page`);
    const redirect = popup.waitForRequest(
      (request) => request.isNavigationRequest() && request.frame() === popup.mainFrame() && !request.url().startsWith(new URL(demo.sandbox.issuer).origin),
    );
    redirect.catch(() => undefined);
    await popup.locator('button[type="submit"]').click();
    const address = (await redirect).url();
    const landedOn = mode === 'uriHandler' ? CODE_SERVER_CALLBACK_TEXT : mode === 'paste' ? '127.0.0.1 refused to connect.' : 'Signed in to Fortellis';
    await popup.getByText(landedOn).first().waitFor();
    await screenshot(popup, `${name}-landed`);
    const landedText = (await popup.locator('body').innerText())
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .join('\n');
    if (mode === 'paste') {
      const box = await waitForQuickInput(page, 'Fortellis sign-in: paste the callback URL');
      assert.equal(box.value, '');
      await screenshot(page, `${name}-input-box`);
      await answer(page, address);
    }
    await waitForNotification(page, SIGNED_IN_TOAST, 60_000);
    await waitForStatus(page, USER_COUNTDOWN);
    const toast = await notificationMessage(page, SIGNED_IN_TOAST);
    assert.match(toast, /^Signed in to Fortellis as newcomer \(sandbox\): user token expires in 59m\.$/);
    await waitForProgressToEnd(page);
    const workbenchShot = await screenshot(page, `${name}-workbench`);
    context.off('request', onRequest);
    await popup.close();
    const first = new URL(requests[0] ?? popup.url());
    const authorizeRequest = new URL(requests.find((url) => url.startsWith(`${demo.sandbox.issuer}/v1/authorize?`)) ?? 'about:blank');
    return {
      firstUrl: `${first.origin}${first.pathname}`,
      openedThroughProxy: first.href.startsWith(`${demo.server.baseUrl}/proxy/4500/oauth2/sandbox/v1/authorize?`),
      redirectUri: authorizeRequest.searchParams.get('redirect_uri') ?? '',
      responseType: authorizeRequest.searchParams.get('response_type') ?? '',
      landedText,
      toast,
      workbenchShot,
    };
  }

  /** The lines of the editor in the active editor group, once they show `text`. */
  /**
   * Clicks the first "Send with Fortellis token" lens of the active editor (after `before`, once it shows), waits for
   * the request at the sandbox and for its answer in the response view; returns what the sandbox received.
   */
  async function sendWithLens(before?: () => Promise<void>) {
    const requests = demo.sandbox.apiRequests().length;
    const lens = page.locator('.editor-group-container.active .codelens-decoration a', { hasText: 'Send with Fortellis token' }).first();
    await lens.waitFor({ timeout: 15_000 });
    await before?.();
    await lens.click();
    await waitUntil(async () => demo.sandbox.apiRequests().length === requests + 1, 'the request sent');
    await waitForProgressToEnd(page);
    await activeEditor('HTTP 200 OK').waitFor();
    return demo.sandbox.apiRequests().at(-1);
  }

  function activeEditor(text: string) {
    return page.locator('.editor-group-container.active .editor-instance .monaco-editor .view-lines', { hasText: text }).first();
  }

  function vehiclesUrl(): string {
    return `${demo.sandbox.apiBaseUrl}/cdk-test/sales/v1/vehicles`;
  }

  /** Call API from the palette: GET, the recent URL, the Subscription-Id; returns the response editor's text. */
  async function callApi(subscriptionId: string, expected: string): Promise<string> {
    await runCommand(page, 'Fortellis: Call API', 'Fortellis: Call API…');
    await waitForQuickInput(page, 'Call API · Method');
    await pick(page, 'GET');
    // Insert Request Snippet ran before, so the recent URLs come first, in a quick pick; the URL picked there is then
    // in an input box ("Request URL") to edit. Both have the same title: each step is told apart by what it shows.
    await waitForUrlStep('recent');
    const recent = await quickPickLabels('Call API · URL');
    assert.ok(recent.includes(vehiclesUrl()), `recent URLs offered: ${recent.join(', ')}`);
    await pick(page, vehiclesUrl());
    await waitForUrlStep('edit');
    const url = await waitForQuickInput(page, 'Call API · URL');
    assert.equal(url.value, vehiclesUrl());
    await page.keyboard.press('Enter');
    await quickPickLabels('Call API · Subscription-Id');
    await pick(page, subscriptionId);
    const response = activeEditor(expected);
    await response.waitFor();
    await waitForProgressToEnd(page);
    return (await response.innerText()).replace(/\u00a0/g, ' ');
  }

  /**
   * Waits for the URL step of Call API (or of `title`'s command): 'recent' is the quick pick of recent URLs, 'edit' the
   * input box holding the URL picked there. Enter pressed before the input box is up would be lost, and the call would
   * never be sent.
   */
  async function waitForUrlStep(step: 'recent' | 'edit', title = 'Call API · URL'): Promise<void> {
    await page.waitForFunction(
      ([step, url, title]) => {
        const widget = document.querySelector('.quick-input-widget') as HTMLElement | null;
        const input = document.querySelector('.quick-input-widget .quick-input-box input') as HTMLInputElement | null;
        if (!widget || widget.style.display === 'none' || !input || !(widget.querySelector('.quick-input-title')?.textContent ?? '').includes(title)) {
          return false;
        }
        const message = widget.querySelector('.quick-input-message')?.textContent ?? '';
        return step === 'recent'
          ? input.placeholder === 'A recent URL, or a new one' && document.querySelectorAll('.quick-input-widget .quick-input-list .monaco-list-row').length > 0
          : message.includes('Request URL') && input.value === url;
      },
      [step, vehiclesUrl(), title] as const,
    );
  }

  async function tokenInFile(file: string): Promise<string> {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    assert.equal(typeof parsed.access_token, 'string', 'the file has an access_token');
    return parsed.access_token as string;
  }
});

async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
