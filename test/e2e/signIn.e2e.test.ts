import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type CodeServer, installExtension, startCodeServer } from '../host/codeServer';
import { repoRoot } from '../host/paths';
import { isCodeServerCallback, LOOPBACK_CALLBACK } from '../host/signInCallbacks';
import { launchBrowser, openWorkbench } from '../host/workbench';
import {
  clearNotifications,
  clickNotificationButton,
  getTokenThroughPalette,
  notificationButtons,
  notificationMessage,
  replaceUserSettingsJson,
  runCommand,
  runCommandNamed,
  statusBarTooltip,
  waitForNotification,
  waitForProgressToEnd,
  waitForStatus,
} from '../host/workbenchDriver';
import { type Sandbox, startSandbox } from '../sandbox/sandboxServer';
import { allFiles, filesContaining, recordOutput } from './secretScan';

const resultsDir = join(repoRoot, 'test-results', 'e2e');
/** code-server's and the workbench page's logs of this suite (test/e2e/getToken.e2e.test.ts keeps its own in resultsDir). */
const logDir = join(resultsDir, 'sign-in');
const roundTripsFile = join(repoRoot, 'test-results', 'e2e-sign-in.json');
/** Built by `npm run package` (part of `npm test`): the extension as users install it. */
const vsix = join(repoRoot, 'dist', 'fortellis-auth.vsix');

/** Any name signs in on oidc-provider's development login page; it becomes the user's `sub`. */
const USER = 'dealer-bob';
const PROFILE = 'sandbox';
const SIGN_IN_COMMAND = 'Fortellis: Sign In with Browser';
const IMPLICIT_COMMAND = 'Fortellis: Sign In with Browser (Legacy Implicit Flow)';
const SIGNED_IN_TOAST = `Signed in to Fortellis as ${USER} (${PROFILE})`;
const USER_COUNTDOWN_TEXT = `Fortellis user: ${PROFILE} · `;
const USER_COUNTDOWN = /^Fortellis user: sandbox · 59m$/;
const USER_TOOLTIP = 'Fortellis user token';
const PROGRESS_TOAST = 'Signing in to Fortellis';
/** What code-server's /callback page (vs/code/browser/workbench/callback.html) says once it has passed the URL on. */
const CODE_SERVER_CALLBACK_TEXT = 'You can close this page now.';
/** The heading of the extension's loopback page once it has the sign-in response. */
const LOOPBACK_SIGNED_IN_TEXT = 'Signed in to Fortellis';

type CallbackMode = 'uriHandler' | 'loopback' | 'paste';

/** One measured browser sign-in. No codes or tokens: the redirect URI and the landing page's origin and path only. */
interface RoundTrip {
  flow: 'code' | 'implicit';
  callbackMode: CallbackMode;
  redirectUri: string;
  landedOn: string;
  /**
   * From Enter in the palette until the workbench shows both the toast and the user's countdown (timed in the page,
   * every 50 ms), login and consent included, minus the time the test paused to save screenshots of those pages.
   */
  roundTripMs: number;
  /** From the click on the consent page's Continue to the toast and the countdown: redirect, code exchange, storage, UI. */
  consentToCountdownMs: number;
  /** Screenshots of the sign-in and consent pages, left out of roundTripMs. */
  screenshotPauseMs: number;
}

/** What the person at the browser saw in the page openExternal opened, and when they clicked Continue. */
interface BrowserVisit {
  /** Origin and path only: the query carries the code. */
  landedOn: string;
  /** The landing page's text, its lines joined by single newlines. */
  landedText: string;
  consentClickedAt: number;
  screenshotPauseMs: number;
}

describe('End to end: a user signs in to Fortellis with the browser, from the real workbench in code-server', function () {
  const app = { apiKey: 'e2e-sign-in-app-key', apiSecret: `e2e-sign-in-secret-${randomBytes(12).toString('base64url')}` };
  const roundTrips: RoundTrip[] = [];
  // Started in before(), not here: getToken.e2e.test.ts restores stdout when it ends, which would drop a tee made at load time.
  let output: ReturnType<typeof recordOutput> | undefined;
  let sandbox: Sandbox;
  let server: CodeServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let tempDir: string;
  let shotNumber = 0;
  let screenshotsMs = 0;

  const userDataDir = () => join(tempDir, 'user-data');

  /** Saves a screenshot as test-results/e2e/sign-in-NN-name.png, and counts the time it took. */
  async function screenshot(target: Page, name: string): Promise<void> {
    const started = Date.now();
    shotNumber += 1;
    await target.screenshot({ path: join(resultsDir, `sign-in-${String(shotNumber).padStart(2, '0')}-${name}.png`), animations: 'disabled' });
    screenshotsMs += Date.now() - started;
  }

  before(async () => {
    output = recordOutput();
    await prepareResultsDir();
    tempDir = await mkdtemp(join(tmpdir(), 'fortellis-e2e-sign-in-'));
    sandbox = await startSandbox({
      // Not 127.0.0.1: code-server would send the sign-in page through its port-forwarding proxy.
      host: '127.0.0.2',
      clients: [{ clientId: app.apiKey, clientSecret: app.apiSecret, redirectUris: [LOOPBACK_CALLBACK] }],
      acceptRedirectUri: isCodeServerCallback,
    });
    await mkdir(join(tempDir, 'workspace'));
    await installExtension(vsix, join(tempDir, 'extensions'), userDataDir());
    server = await startCodeServer({
      userDataDir: userDataDir(),
      extensionsDir: join(tempDir, 'extensions'),
      // The smoke-test driver would hide notification toasts; an installed extension does not need it.
      smokeTestDriver: false,
      // The sign-in page opens without "Do you want to open the external website?".
      trustedDomains: [new URL(sandbox.issuer).origin],
      userSettings: {
        'fortellis.sandbox.issuer': sandbox.issuer,
        'fortellis.signIn.loopbackRedirectUri': LOOPBACK_CALLBACK,
        'workbench.startupEditor': 'none',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
      },
      logFile: join(logDir, 'code-server.log'),
    });
    browser = await launchBrowser();
    ({ context, page } = await openWorkbench(browser, server, { folder: join(tempDir, 'workspace'), logDir }));
    await getTokenThroughPalette(page, app);
    await waitForNotification(page, `Fortellis token for "${PROFILE}" ready`);
    await waitForProgressToEnd(page);
  });

  after(async () => {
    output?.stop();
    await browser?.close();
    await server?.stop();
    await sandbox?.close();
    if (tempDir) {
      await rm(tempDir, { recursive: true, force: true });
    }
  });

  /** Keeps getToken.e2e.test.ts's files; replaces this suite's. */
  async function prepareResultsDir(): Promise<void> {
    await mkdir(resultsDir, { recursive: true });
    const ours = (await readdir(resultsDir)).filter((name) => name.startsWith('sign-in-') && name.endsWith('.png'));
    await Promise.all(ours.map((name) => rm(join(resultsDir, name))));
    await rm(logDir, { recursive: true, force: true });
    await mkdir(logDir, { recursive: true });
  }

  /**
   * Runs a sign-in command from the palette and catches what it opens in the browser: the popup page
   * (vscode.env.openExternal calls window.open) and the authorize request it starts with.
   * The provider forgets the previous browser session first, so every round trip shows its login page.
   */
  async function startSignIn(command: string): Promise<{ popup: Page; authorize: URL; enteredAt: number }> {
    await context.clearCookies({ domain: new URL(sandbox.issuer).hostname });
    let enteredAt = 0;
    const [popup, request] = await Promise.all([
      context.waitForEvent('page'),
      context.waitForEvent('request', { predicate: (candidate) => candidate.url().startsWith(`${sandbox.issuer}/v1/authorize?`) }),
      runCommandNamed(page, command, command).then(() => {
        enteredAt = Date.now();
      }),
    ]);
    return { popup, authorize: new URL(request.url()), enteredAt };
  }

  /** The person at the browser: logs in and consents on the provider's pages, then waits for the page the redirect lands on. */
  async function logInAndConsent(popup: Page, landedText: string, name: string): Promise<BrowserVisit> {
    const screenshotsBefore = screenshotsMs;
    const login = popup.locator('input[name="login"]');
    await login.waitFor();
    await screenshot(popup, `${name}-sign-in-page`);
    await login.fill(USER);
    await popup.locator('input[name="password"]').fill('any password');
    await popup.locator('button[type="submit"]').click();
    await popup.locator('input[name="prompt"][value="consent"]').waitFor({ state: 'attached' });
    await screenshot(popup, `${name}-consent-page`);
    const screenshotPauseMs = screenshotsMs - screenshotsBefore;
    const consentClickedAt = Date.now();
    await popup.locator('button[type="submit"]').click();
    await popup.waitForURL((url) => !url.href.startsWith(sandbox.issuer), { waitUntil: 'commit' });
    // The implicit flow lands on the loopback relay page first, which posts the fragment on: wait for the answer.
    await popup.getByText(landedText).first().waitFor();
    const landed = new URL(popup.url());
    await screenshot(popup, `${name}-landed`);
    const text = (await popup.locator('body').innerText()).split('\n').map((line) => line.trim()).filter(Boolean).join('\n');
    return { landedOn: `${landed.origin}${landed.pathname}`, landedText: text, consentClickedAt, screenshotPauseMs };
  }

  /**
   * Resolves to the moment (Date.now() in the page) the workbench shows both the "Signed in" toast and the user's
   * countdown, checked every 50 ms inside the page: the test saving screenshots meanwhile does not delay it.
   */
  function whenSignedInShows(): Promise<number> {
    const shown = page
      .waitForFunction(
        ([toastText, countdown]) => {
          const toasts = Array.from(document.querySelectorAll('.notifications-toasts .notification-toast'));
          const items = Array.from(document.querySelectorAll('.statusbar .statusbar-item'));
          const toast = toasts.some((candidate) => (candidate.textContent ?? '').includes(toastText));
          const status = items.some((item) => new RegExp(countdown).test((item.textContent ?? '').trim()));
          return toast && status ? Date.now() : 0;
        },
        [SIGNED_IN_TOAST, USER_COUNTDOWN.source] as const,
        { polling: 50, timeout: 60_000 },
      )
      .then((handle) => handle.jsonValue());
    // Awaited later; a failure before then must not be an unhandled rejection.
    shown.catch(() => undefined);
    return shown;
  }

  /** One whole browser sign-in from the palette, as a user does it, measured; then the workbench's screenshot. */
  async function signInWithBrowser(command: string, how: { flow: RoundTrip['flow']; callbackMode: CallbackMode; landedText: string; name: string }) {
    await clearNotifications(page);
    const signedInShown = whenSignedInShows();
    const opened = await startSignIn(command);
    const visit = await logInAndConsent(opened.popup, how.landedText, how.name);
    const shownAt = await signedInShown;
    const toast = await notificationMessage(page, SIGNED_IN_TOAST);
    await waitForProgressToEnd(page);
    await screenshot(page, `${how.name}-workbench`);
    await opened.popup.close();
    const roundTrip: RoundTrip = {
      flow: how.flow,
      callbackMode: how.callbackMode,
      redirectUri: opened.authorize.searchParams.get('redirect_uri') ?? '',
      landedOn: visit.landedOn,
      roundTripMs: shownAt - opened.enteredAt - visit.screenshotPauseMs,
      consentToCountdownMs: shownAt - visit.consentClickedAt,
      screenshotPauseMs: visit.screenshotPauseMs,
    };
    roundTrips.push(roundTrip);
    return { roundTrip, toast, authorize: opened.authorize, visit };
  }

  /**
   * Edits the user's settings.json in the workbench's editor, as a user does. (Written to disk behind code-server's
   * back, the change did not reach the window within 30 s: code-server 4.139.1 does not reload it.)
   */
  async function editUserSettings(change: (settings: Record<string, unknown>) => void): Promise<void> {
    const file = join(userDataDir(), 'User', 'settings.json');
    const settings = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    change(settings);
    const text = JSON.stringify(settings, null, 2);
    await replaceUserSettingsJson(page, text);
    await waitUntil(async () => (await readFile(file, 'utf8')) === text, 'the workbench to save the edited settings.json');
  }

  function setCallbackMode(settings: Record<string, unknown>, mode: CallbackMode): void {
    const profiles = settings['fortellis.profiles'];
    assert.ok(Array.isArray(profiles) && profiles.length === 1, 'the profile created through the palette is in settings.json');
    settings['fortellis.profiles'] = profiles.map((profile: Record<string, unknown>) => ({ ...profile, callbackMode: mode }));
  }

  /**
   * "Fortellis: Show Callback URL" until it names the expected mode: then the edited settings have reached the extension.
   * Returns the Callback URL it copied.
   */
  async function waitForCallbackMode(modeLabel: string): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      await clearNotifications(page);
      await runCommand(page, 'Fortellis: Show Callback URL', 'Fortellis: Show Callback URL');
      await waitForNotification(page, 'Callback URL for');
      const message = await notificationMessage(page, 'Callback URL for');
      if (message.startsWith(`Callback URL for ${modeLabel},`)) {
        return page.evaluate(() => navigator.clipboard.readText());
      }
      assert.ok(Date.now() < deadline, `the settings change did not reach the extension: ${message}`);
      await page.waitForTimeout(500);
    }
  }

  /** The "Expires: …" line of the user countdown's tooltip (the exact expiry of the token it shows). */
  async function userTokenTooltip(): Promise<{ text: string; expires: string }> {
    const text = await statusBarTooltip(page, USER_COUNTDOWN_TEXT, USER_TOOLTIP);
    const expires = /Expires: .*?\(([^)]+)\)/.exec(text)?.[1] ?? '';
    assert.match(expires, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'the tooltip shows the exact expiry');
    return { text, expires };
  }

  function assertStateAndNonce(authorize: URL): void {
    const { searchParams } = authorize;
    assert.equal(searchParams.get('client_id'), app.apiKey);
    assert.match(searchParams.get('state') ?? '', /^[\w-]{16,}$/, 'a random state');
    assert.match(searchParams.get('nonce') ?? '', /^[\w-]{16,}$/, 'a random nonce');
  }

  it('"Sign In with Browser" (URI handler): code + PKCE, login and consent in the browser, code-server\'s callback, the user\'s countdown', async () => {
    const requestsBefore = sandbox.stats().tokenRequests;
    const { roundTrip, toast, authorize, visit } = await signInWithBrowser(SIGN_IN_COMMAND, {
      flow: 'code',
      callbackMode: 'uriHandler',
      landedText: CODE_SERVER_CALLBACK_TEXT,
      name: 'uri-handler',
    });
    assert.equal(`${authorize.origin}${authorize.pathname}`, `${sandbox.issuer}/v1/authorize`);
    assert.equal(authorize.searchParams.get('response_type'), 'code');
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.match(authorize.searchParams.get('code_challenge') ?? '', /^[\w-]{43}$/);
    assert.equal(authorize.searchParams.get('scope'), 'openid offline_access');
    assertStateAndNonce(authorize);
    assert.ok(isCodeServerCallback(roundTrip.redirectUri), `code-server's callback URL: ${roundTrip.redirectUri}`);
    assert.ok(roundTrip.redirectUri.startsWith(`${server.baseUrl}/`), 'on the code-server the browser talks to');
    assert.equal(visit.landedOn, new URL(roundTrip.redirectUri).origin + new URL(roundTrip.redirectUri).pathname);
    assert.equal(visit.landedText, 'Visual Studio Code\nYou can close this page now.');
    assert.match(toast, /Signed in to Fortellis as dealer-bob \(sandbox\): user token expires in 59m\./);
    await waitForStatus(page, USER_COUNTDOWN);
    assert.equal(sandbox.stats().tokenRequests - requestsBefore, 1, 'one code exchange');
    const tooltip = await userTokenTooltip();
    assert.match(tooltip.text, /Scopes: .*offline_access/);
    assert.match(tooltip.text, /with the refresh token/);
  });

  it('loopback mode: the browser lands on http://127.0.0.1:8123/callback and the extension\'s own page says it is signed in', async () => {
    await editUserSettings((settings) => setCallbackMode(settings, 'loopback'));
    assert.equal(await waitForCallbackMode('Local loopback server'), LOOPBACK_CALLBACK);
    const previous = await userTokenTooltip();
    const { roundTrip, toast, authorize, visit } = await signInWithBrowser(SIGN_IN_COMMAND, {
      flow: 'code',
      callbackMode: 'loopback',
      landedText: LOOPBACK_SIGNED_IN_TEXT,
      name: 'loopback',
    });
    assert.equal(authorize.searchParams.get('response_type'), 'code');
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assertStateAndNonce(authorize);
    assert.equal(roundTrip.redirectUri, LOOPBACK_CALLBACK);
    assert.equal(visit.landedOn, LOOPBACK_CALLBACK);
    assert.equal(visit.landedText, 'Signed in to Fortellis\nSigned in to Fortellis. You can close this tab and return to VS Code.');
    assert.match(toast, /Signed in to Fortellis as dealer-bob \(sandbox\): user token expires in 59m\./);
    assert.notEqual((await userTokenTooltip()).expires, previous.expires, 'the countdown shows the new user token');
  });

  it('"Sign In with Browser (Legacy Implicit Flow)": id_token and token in the fragment, relayed by the loopback page; no refresh token', async () => {
    const previous = await userTokenTooltip();
    const { roundTrip, toast, authorize, visit } = await signInWithBrowser(IMPLICIT_COMMAND, {
      flow: 'implicit',
      callbackMode: 'loopback',
      landedText: LOOPBACK_SIGNED_IN_TEXT,
      name: 'implicit',
    });
    assert.equal(authorize.searchParams.get('response_type'), 'id_token token');
    assert.equal(authorize.searchParams.get('code_challenge'), null, 'no PKCE without a code');
    assert.equal(authorize.searchParams.get('scope'), 'openid');
    assertStateAndNonce(authorize);
    assert.equal(roundTrip.redirectUri, LOOPBACK_CALLBACK);
    assert.equal(visit.landedOn, LOOPBACK_CALLBACK, 'the relay page took the fragment off the address');
    assert.equal(visit.landedText, 'Signed in to Fortellis\nSigned in to Fortellis. You can close this tab and return to VS Code.');
    assert.match(toast, /user token expires in 59m\./);
    const tooltip = await userTokenTooltip();
    assert.notEqual(tooltip.expires, previous.expires, 'the countdown shows the new user token');
    assert.match(tooltip.text, /No refresh token: sign in with the browser again when it expires\./);
  });

  it('Cancel on the "Signing in to Fortellis…" notification ends the wait and changes nothing', async () => {
    await clearNotifications(page);
    const before = await userTokenTooltip();
    const requestsBefore = sandbox.stats().tokenRequests;
    const { popup } = await startSignIn(SIGN_IN_COMMAND);
    await popup.locator('input[name="login"]').waitFor();
    await waitForNotification(page, PROGRESS_TOAST);
    assert.ok((await notificationButtons(page, PROGRESS_TOAST)).includes('Cancel'), 'the progress notification can be cancelled');
    await screenshot(page, 'cancel-waiting');
    await clickNotificationButton(page, PROGRESS_TOAST, 'Cancel');
    await waitForNotification(page, `Fortellis sign-in for "${PROFILE}" cancelled. Nothing changed.`);
    const toast = await notificationMessage(page, 'cancelled');
    await waitForProgressToEnd(page);
    await screenshot(page, 'cancel-workbench');
    await popup.close();
    assert.equal(toast, 'Fortellis sign-in for "sandbox" cancelled. Nothing changed.');
    await waitForStatus(page, USER_COUNTDOWN);
    assert.equal((await userTokenTooltip()).expires, before.expires, 'the same user token');
    assert.equal(sandbox.stats().tokenRequests, requestsBefore, 'no token request');
  });

  it('a sign-in nobody finishes times out after "fortellis.signIn.timeoutSeconds" and offers another way', async function () {
    this.timeout(60_000);
    await editUserSettings((settings) => {
      setCallbackMode(settings, 'uriHandler');
      settings['fortellis.signIn.timeoutSeconds'] = 10;
    });
    // Both settings are in the same write of the file: once the mode shows, the timeout applies too.
    assert.ok(isCodeServerCallback(await waitForCallbackMode('VS Code URI handler')));
    await clearNotifications(page);
    const { popup, enteredAt } = await startSignIn(SIGN_IN_COMMAND);
    await popup.locator('input[name="login"]').waitFor();
    await popup.close();
    await waitForNotification(page, 'No sign-in arrived within 10 s', 20_000);
    const elapsedMs = Date.now() - enteredAt;
    const toast = await notificationMessage(page, 'No sign-in arrived');
    await waitForProgressToEnd(page);
    await screenshot(page, 'timeout-workbench');
    assert.ok(elapsedMs >= 10_000 && elapsedMs < 20_000, `the error came ${elapsedMs} ms after Enter`);
    assert.match(toast, /Fortellis sign-in \(sandbox\): No sign-in arrived within 10 s \(VS Code URI handler\)\. Check that the app's registered Callback URL is http:\/\/127\.0\.0\.1:\d+\//);
    const buttons = await notificationButtons(page, 'No sign-in arrived within 10 s');
    assert.ok(buttons.some((label) => /^Try /.test(label)), `a button to try another way: ${buttons.join(', ')}`);
    // Closing the error answers it: the sign-in ends without trying another way.
    await clearNotifications(page);
    await waitForStatus(page, USER_COUNTDOWN);
  });

  it('writes the measured round trips to test-results/e2e-sign-in.json', async () => {
    assert.equal(roundTrips.length, 3);
    await writeFile(roundTripsFile, `${JSON.stringify(roundTrips, null, 2)}\n`);
    console.log(roundTripTable(roundTrips));
  });

  it('leaves the API secret and the tokens issued in no setting, log, browser storage, DOM or test output', async () => {
    const issued = sandbox.stats().issuedAccessTokens;
    // The app's token from "Get Fortellis Token", and one user token per round trip.
    assert.equal(issued.length, 1 + roundTrips.length);
    const needles: Record<string, string> = { 'API secret': app.apiSecret };
    issued.forEach((token, index) => (needles[`access token ${index + 1}`] = token));
    // The scan must look where the extension writes: its log channel is among the files scanned.
    const extensionLog = (await allFiles(userDataDir())).find((file) => file.endsWith('Fortellis Auth.log'));
    assert.ok(extensionLog, "the extension's log is under the user-data folder");
    assert.match(await readFile(extensionLog, 'utf8'), /Signed in to "sandbox" as dealer-bob: user token expires .*, refresh token kept\./);
    assert.deepEqual(await filesContaining(userDataDir(), needles), []);
    assert.deepEqual(await filesContaining(join(repoRoot, 'test-results'), needles), []);
    const browserStorage = await context.storageState({ indexedDB: true });
    const secretStorage = browserStorage.origins.flatMap((origin) => origin.localStorage).filter((entry) => entry.name === 'secrets.provider');
    assert.equal(secretStorage.length, 1, 'SecretStorage keeps its entries in the browser profile, encrypted');
    // Cookies, localStorage (the encrypted 'secrets.provider' entry included) and IndexedDB of every origin.
    const stored = JSON.stringify(browserStorage);
    const callbacksLeft = browserStorage.origins.flatMap((origin) => origin.localStorage).filter((entry) => entry.name.startsWith('vscode-web.url-callbacks'));
    assert.deepEqual(callbacksLeft, [], "code-server's callback page left no redirect (code, state) in localStorage once the workbench read it");
    const dom = await page.content();
    const printed = output?.text() ?? '';
    for (const [name, needle] of Object.entries(needles)) {
      assert.ok(!stored.includes(needle), `${name}: not in the browser's storage`);
      assert.ok(!dom.includes(needle), `${name}: not in the DOM`);
      assert.ok(!printed.includes(needle), `${name}: not in the test output`);
    }
  });
});

/** The round trips as a small table, for the test output. */
function roundTripTable(roundTrips: readonly RoundTrip[]): string {
  const rows = [
    ['flow', 'callback mode', 'round trip', 'consent → countdown', 'redirect_uri'],
    ...roundTrips.map((trip) => [trip.flow, trip.callbackMode, `${trip.roundTripMs} ms`, `${trip.consentToCountdownMs} ms`, trip.redirectUri]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) => `      ${row.map((cell, column) => cell.padEnd(widths[column])).join('  ')}`.trimEnd();
  return [line(rows[0]), line(widths.map((width) => '-'.repeat(width))), ...rows.slice(1).map(line)].join('\n');
}

async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
