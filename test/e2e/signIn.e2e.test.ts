import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import {
  APP_COUNTDOWN,
  CODE_SERVER_CALLBACK_TEXT,
  E2E_RESULTS_DIR as resultsDir,
  IMPLICIT_SIGN_IN_COMMAND,
  LOOPBACK_CALLBACK,
  LOOPBACK_SIGNED_IN_HEADING,
  LOOPBACK_SIGNED_IN_PAGE,
  NEW_USER_COUNTDOWN,
  SANDBOX_PROFILE as PROFILE,
  SIGN_IN_COMMAND,
  SIGN_IN_SHOWN_TIMEOUT_MS,
} from '../host/constants';
import { repoRoot } from '../host/paths';
import { NO_PORT_FORWARDING_SETTINGS, QUIET_WORKBENCH_SETTINGS } from '../host/workbench';
import {
  answer,
  clearNotifications,
  clickDialogButton,
  clickMenuItem,
  clickNotificationButton,
  getTokenThroughPalette,
  notificationButtons,
  notificationMessage,
  notificationMessages,
  openAccountsMenu,
  openSubmenu,
  replaceUserSettingsJson,
  runCommand,
  runCommandNamed,
  statusBarTooltip,
  waitForDialog,
  waitForNotification,
  waitForProgressToEnd,
  waitForQuickInput,
  waitForStatus,
  waitForStatusGone,
} from '../host/workbenchDriver';
import { type BrowserSession, startBrowserSession } from '../host/workbenchSession';
import type { CallbackMode } from '../../src/core/signIn/callbackModes';
import { isCodeServerCallback, type Sandbox, startSandbox } from '../sandbox/sandboxServer';
import { allFiles, filesContaining, recordOutput, userDataContaining } from './secretScan';

/** code-server's and the workbench page's logs of this suite (test/e2e/getToken.e2e.test.ts keeps its own in resultsDir). */
const logDir = join(resultsDir, 'sign-in');
const roundTripsFile = join(repoRoot, 'test-results', 'e2e-sign-in.json');
/** Another extension, plain JavaScript, that asks vscode.authentication for a Fortellis session: packaged at test time. */
const consumerDir = join(repoRoot, 'test', 'e2e', 'sessionConsumer');

/** Any name signs in on oidc-provider's development login page; it becomes the user's `sub`. */
const USER = 'dealer-bob';
const SIGNED_IN_TOAST = `Signed in to Fortellis as ${USER} (${PROFILE})`;
const USER_COUNTDOWN_TEXT = `Fortellis user: ${PROFILE} · `;
/** Later, the minutes left count down: a slow machine may be past the first minute. */
const USER_COUNTDOWN = /^Fortellis user: sandbox · \d+m$/;
const USER_TOOLTIP = 'Fortellis user token';
const PROGRESS_TOAST = 'Signing in to Fortellis';
/** Chromium's error page when nothing listens on the loopback Callback URL (paste mode). */
const NOTHING_LISTENS_TEXT = '127.0.0.1 refused to connect.';
const PASTE_TITLE = 'Fortellis sign-in: paste the callback URL';
/** What the extension logs for a link to its URI handler that no sign-in in progress claims. */
const IGNORED_LINK_LOG = 'Ignored a link to /callback: it answers no sign-in in progress';
const CONSUMER_COMMAND = 'Session Consumer: Get Fortellis Session';
/** The start of the consumer's message, whether it got a session or an error. */
const CONSUMER_TOAST = 'Session consumer got';
const CONSUMER_SESSION = /^Session consumer got a Fortellis session for dealer-bob \(sandbox\): scopes openid offline_access, a token of \d+ characters\.$/;
const ALLOW_PROMPT = "The extension 'Fortellis Session Consumer' wants to sign in using Fortellis.";
const ACCOUNT = 'dealer-bob (sandbox) (Fortellis)';

/** One measured browser sign-in. No codes or tokens: the redirect URI and the landing page's origin and path only. */
interface RoundTrip {
  flow: 'code' | 'implicit';
  callbackMode: CallbackMode;
  redirectUri: string;
  landedOn: string;
  /**
   * From Enter in the palette until the workbench shows both the toast and the user's countdown (timed in the page,
   * every 50 ms), login and consent included (paste mode: pasting the address too), minus the time the test paused
   * to save screenshots meanwhile.
   */
  roundTripMs: number;
  /**
   * From the click on the consent page's Continue to the toast and the countdown: redirect, code exchange, storage, UI
   * (paste mode: pasting the address too, screenshots left out).
   */
  consentToCountdownMs: number;
  /** Screenshots left out of roundTripMs: of the sign-in and consent pages (paste mode: all taken before the paste). */
  screenshotPauseMs: number;
}

/** What differs between the browser sign-ins of the suite: one row per callback mode, and the legacy implicit flow. */
interface RoundTripRow {
  title: string;
  command: string;
  flow: RoundTrip['flow'];
  callbackMode: CallbackMode;
  /** What the browser shows once the redirect has landed (waited for), and its whole text (asserted). */
  landedText: string;
  landedPage: string | RegExp;
  /** Screenshots: sign-in-NN-<name>-*.png. */
  name: string;
  /** Set in settings.json first (the first row keeps the default, the URI handler): the mode "Show Callback URL" then names. */
  select?: { label: string; alsoChange?: (settings: Record<string, unknown>) => void };
  /** Whether a user token from an earlier row is on the countdown, to be replaced. */
  replacesUserToken: boolean;
}

const ROUND_TRIPS = {
  uriHandler: {
    title: '"Sign In with Browser" (URI handler): code + PKCE, login and consent in the browser, code-server\'s callback, the user\'s countdown',
    command: SIGN_IN_COMMAND,
    flow: 'code',
    callbackMode: 'uriHandler',
    landedText: CODE_SERVER_CALLBACK_TEXT,
    landedPage: `Visual Studio Code\n${CODE_SERVER_CALLBACK_TEXT}`,
    name: 'uri-handler',
    replacesUserToken: false,
  },
  loopback: {
    title: "loopback mode: the browser lands on http://127.0.0.1:8123/callback and the extension's own page says it is signed in",
    command: SIGN_IN_COMMAND,
    flow: 'code',
    callbackMode: 'loopback',
    landedText: LOOPBACK_SIGNED_IN_HEADING,
    landedPage: LOOPBACK_SIGNED_IN_PAGE,
    name: 'loopback',
    select: { label: 'Local loopback server' },
    replacesUserToken: true,
  },
  implicit: {
    title: '"Sign In with Browser (Legacy Implicit Flow)": id_token and token in the fragment, relayed by the loopback page; no refresh token',
    command: IMPLICIT_SIGN_IN_COMMAND,
    flow: 'implicit',
    callbackMode: 'loopback',
    landedText: LOOPBACK_SIGNED_IN_HEADING,
    landedPage: LOOPBACK_SIGNED_IN_PAGE,
    name: 'implicit',
    replacesUserToken: true,
  },
  paste: {
    title: 'paste mode: the browser lands on the loopback Callback URL, where nothing listens; the address pasted into VS Code signs the user in',
    command: SIGN_IN_COMMAND,
    flow: 'code',
    callbackMode: 'paste',
    landedText: NOTHING_LISTENS_TEXT,
    landedPage: /^This site can’t be reached\n127\.0\.0\.1 refused to connect\./,
    name: 'paste',
    select: {
      label: 'Paste the URL from the browser',
      // The timeout test's 10 s would not leave the person time to paste: back to the default.
      alsoChange: (settings) => delete settings['fortellis.signIn.timeoutSeconds'],
    },
    replacesUserToken: true,
  },
} as const satisfies Record<string, RoundTripRow>;

/** What the person at the browser saw in the page openExternal opened, and when they clicked Continue. */
interface BrowserVisit {
  /** Origin and path only: the query carries the code. */
  landedOn: string;
  /** The full address the provider redirected to, code and state included: kept in memory only, never written or printed. */
  address: string;
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
  let session: BrowserSession | undefined;
  let sandbox: Sandbox;
  let context: BrowserContext;
  let page: Page;
  /** code-server's user-data folder: settings.json and the extension's logs. */
  let userDataDir: string;
  let shotNumber = 0;
  let screenshotsMs = 0;
  /** The address the URI-handler sign-in landed on (code and state included), for the replay test: in memory only. */
  let replayableCallback: string | undefined;
  /** Access tokens issued besides the app's first and the round trips', for the secret scan's count. */
  const issuedOutsideRoundTrips: string[] = [];

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
    session = await startBrowserSession({
      tempPrefix: 'fortellis-e2e-sign-in-',
      startSandbox: () =>
        startSandbox({
          // Not 127.0.0.1: code-server would send the sign-in page through its port-forwarding proxy.
          host: '127.0.0.2',
          clients: [{ clientId: app.apiKey, clientSecret: app.apiSecret, redirectUris: [LOOPBACK_CALLBACK] }],
        }),
      otherExtensions: [consumerDir],
      // The sign-in page opens without "Do you want to open the external website?".
      trustedDomains: (started) => [new URL(started.issuer).origin],
      userSettings: (started) => ({
        'fortellis.sandbox.issuer': started.issuer,
        'fortellis.signIn.loopbackRedirectUri': LOOPBACK_CALLBACK,
        ...QUIET_WORKBENCH_SETTINGS,
        ...NO_PORT_FORWARDING_SETTINGS,
      }),
      logFile: join(logDir, 'code-server.log'),
      logDir,
    });
    ({ sandbox, context, page, userDataDir } = session);
    await getTokenThroughPalette(page, app);
    await waitForNotification(page, `Fortellis token for "${PROFILE}" ready`);
    await waitForProgressToEnd(page);
  });

  after(async () => {
    output?.stop();
    await session?.stop();
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
    const redirect = popup.waitForRequest(
      (request) => request.isNavigationRequest() && request.frame() === popup.mainFrame() && !request.url().startsWith(sandbox.issuer),
    );
    // Awaited below; a failed click must not leave an unhandled rejection.
    redirect.catch(() => undefined);
    const consentClickedAt = Date.now();
    await popup.locator('button[type="submit"]').click();
    const address = (await redirect).url();
    await popup.waitForURL((url) => !url.href.startsWith(sandbox.issuer), { waitUntil: 'commit' });
    // The implicit flow lands on the loopback relay page first, which posts the fragment on: wait for the answer.
    await popup.getByText(landedText).first().waitFor();
    // Chromium's error page (nothing listens there) has a URL of its own; the address bar keeps the one that failed.
    const landed = new URL(popup.url().startsWith('chrome-error:') ? address : popup.url());
    await screenshot(popup, `${name}-landed`);
    const text = (await popup.locator('body').innerText())
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .join('\n');
    return { landedOn: `${landed.origin}${landed.pathname}`, address, landedText: text, consentClickedAt, screenshotPauseMs };
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
        [SIGNED_IN_TOAST, NEW_USER_COUNTDOWN.source] as const,
        { polling: 50, timeout: SIGN_IN_SHOWN_TIMEOUT_MS },
      )
      .then((handle) => handle.jsonValue());
    // Awaited later; a failure before then must not be an unhandled rejection.
    shown.catch(() => undefined);
    return shown;
  }

  /**
   * One whole browser sign-in from the palette, as a user does it, measured; then the workbench's screenshot.
   * Paste mode: the person also copies the address the browser landed on into VS Code's input box.
   */
  async function signInWithBrowser(command: string, how: { flow: RoundTrip['flow']; callbackMode: CallbackMode; landedText: string; name: string }) {
    await clearNotifications(page);
    const signedInShown = whenSignedInShows();
    const screenshotsBefore = screenshotsMs;
    const opened = await startSignIn(command);
    const visit = await logInAndConsent(opened.popup, how.landedText, how.name);
    let screenshotPauseMs = visit.screenshotPauseMs;
    if (how.callbackMode === 'paste') {
      await pasteCallback(visit.address, how.name);
      screenshotPauseMs = screenshotsMs - screenshotsBefore;
    }
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
      roundTripMs: shownAt - opened.enteredAt - screenshotPauseMs,
      consentToCountdownMs: shownAt - visit.consentClickedAt - (screenshotPauseMs - visit.screenshotPauseMs),
      screenshotPauseMs,
    };
    roundTrips.push(roundTrip);
    return { roundTrip, toast, authorize: opened.authorize, visit };
  }

  /** Paste mode: the input box VS Code opened with the sign-in takes the address the browser shows, and Enter. */
  async function pasteCallback(address: string, name: string): Promise<void> {
    const box = await waitForQuickInput(page, PASTE_TITLE);
    assert.equal(box.value, '', 'the input box starts empty');
    await screenshot(page, `${name}-input-box`);
    await answer(page, address);
  }

  /** The extension's log files under the user-data folder, joined: one per extension host (a reload starts another). */
  async function extensionLogs(): Promise<string> {
    const logs = (await allFiles(userDataDir)).filter((file) => file.endsWith('Fortellis Auth.log'));
    assert.ok(logs.length > 0, "the extension's log is under the user-data folder");
    return (await Promise.all(logs.map((file) => readFile(file, 'utf8')))).join('\n');
  }

  async function extensionLogCount(text: string): Promise<number> {
    return (await extensionLogs()).split(text).length - 1;
  }

  /**
   * Edits the user's settings.json in the workbench's editor, as a user does. (Written to disk behind code-server's
   * back, the change did not reach the window within 30 s: code-server 4.139.1 does not reload it.)
   */
  async function editUserSettings(change: (settings: Record<string, unknown>) => void): Promise<void> {
    const file = join(userDataDir, 'User', 'settings.json');
    const settings = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    change(settings);
    const text = JSON.stringify(settings, null, 2);
    await replaceUserSettingsJson(page, text, file);
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

  /**
   * One browser sign-in of the table ROUND_TRIPS, from the palette, and what the user and the provider see of it.
   * The rows run where they stand among the other tests, which rely on what each leaves: the replay test on the
   * URI handler's address, "Renew Token" on paste mode's refresh token.
   */
  function itSignsInWithTheBrowser(row: RoundTripRow): void {
    it(row.title, async () => {
      if (row.select) {
        const { label, alsoChange } = row.select;
        await editUserSettings((settings) => {
          setCallbackMode(settings, row.callbackMode);
          alsoChange?.(settings);
        });
        assert.equal(await waitForCallbackMode(label), LOOPBACK_CALLBACK);
      }
      const previous = row.replacesUserToken ? await userTokenTooltip() : undefined;
      const requestsBefore = sandbox.stats().tokenRequests;
      const { roundTrip, toast, authorize, visit } = await signInWithBrowser(row.command, row);
      assert.equal(`${authorize.origin}${authorize.pathname}`, `${sandbox.issuer}/v1/authorize`);
      assert.equal(authorize.searchParams.get('response_type'), row.flow === 'code' ? 'code' : 'id_token token');
      if (row.flow === 'code') {
        assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
        assert.match(authorize.searchParams.get('code_challenge') ?? '', /^[\w-]{43}$/);
      } else {
        assert.equal(authorize.searchParams.get('code_challenge'), null, 'no PKCE without a code');
      }
      assert.equal(authorize.searchParams.get('scope'), row.flow === 'code' ? 'openid offline_access' : 'openid');
      assertStateAndNonce(authorize);
      if (row.callbackMode === 'uriHandler') {
        assert.ok(isCodeServerCallback(roundTrip.redirectUri), `code-server's callback URL: ${roundTrip.redirectUri}`);
        assert.ok(roundTrip.redirectUri.startsWith(`${session?.server.baseUrl}/`), 'on the code-server the browser talks to');
      } else {
        assert.equal(roundTrip.redirectUri, LOOPBACK_CALLBACK);
        assert.equal(visit.landedOn, LOOPBACK_CALLBACK, 'the address the browser shows (implicit flow: once the relay page took the fragment off)');
      }
      assert.equal(visit.landedOn, new URL(roundTrip.redirectUri).origin + new URL(roundTrip.redirectUri).pathname);
      if (typeof row.landedPage === 'string') {
        assert.equal(visit.landedText, row.landedPage);
      } else {
        assert.match(visit.landedText, row.landedPage);
      }
      assert.match(toast, /Signed in to Fortellis as dealer-bob \(sandbox\): user token expires in 59m\./);
      await waitForStatus(page, NEW_USER_COUNTDOWN);
      assert.equal(sandbox.stats().tokenRequests - requestsBefore, row.flow === 'code' ? 1 : 0, 'one code exchange; none for the implicit flow');
      const tooltip = await userTokenTooltip();
      if (previous) {
        assert.notEqual(tooltip.expires, previous.expires, 'the countdown shows the new user token');
      }
      if (row.flow === 'code') {
        assert.match(tooltip.text, /Scopes: .*offline_access/);
        assert.match(tooltip.text, /with the refresh token/);
        const landedAt = new URL(visit.address).searchParams;
        assert.ok(landedAt.has('code') && landedAt.has('state'), 'the address the browser landed on carries the code and the state');
      } else {
        assert.match(tooltip.text, /No refresh token: sign in with the browser again when it expires\./);
      }
      if (row.callbackMode === 'uriHandler') {
        replayableCallback = visit.address;
      }
    });
  }

  itSignsInWithTheBrowser(ROUND_TRIPS.uriHandler);

  it('a replayed callback changes nothing: the old address, opened again after a reload, reaches the extension, which logs and ignores it', async () => {
    const replayed = replayableCallback;
    assert.ok(replayed, 'the URI-handler test kept the address its browser landed on');
    // The workbench reads a callback only for a request id it waits on, and forgets an id once answered: opened again
    // as it is, the address would stay in localStorage, unread. Ids restart at 1 with every page load, so after a
    // reload "Show Callback URL" (which asks for a callback URL) makes the workbench wait on the old address's id again.
    await page.reload();
    await page.locator('.monaco-workbench').waitFor();
    await waitForStatus(page, USER_COUNTDOWN);
    const callbackUrl = await waitForCallbackMode('VS Code URI handler');
    const requestId = (url: string) => new URL(url).searchParams.get('vscode-reqid');
    assert.equal(requestId(callbackUrl), requestId(replayed), "the reloaded workbench waits on the old address's request id");
    await clearNotifications(page);
    const before = await userTokenTooltip();
    const requestsBefore = sandbox.stats().tokenRequests;
    const ignoredBefore = await extensionLogCount(IGNORED_LINK_LOG);
    const replay = await context.newPage();
    await replay.goto(replayed).catch((error: unknown) => {
      // Playwright names the URL in its errors: the code and the state must not reach the test output.
      throw new Error(`Opening the replayed address failed: ${String(error).split(replayed).join('<the replayed address>')}`);
    });
    await replay.getByText(CODE_SERVER_CALLBACK_TEXT).waitFor();
    await screenshot(replay, 'replay-landed');
    await replay.close();
    await waitUntil(async () => (await extensionLogCount(IGNORED_LINK_LOG)) > ignoredBefore, 'the extension to log the ignored link', 15_000);
    await screenshot(page, 'replay-workbench');
    assert.equal(await extensionLogCount(IGNORED_LINK_LOG), ignoredBefore + 1, 'the link reached the extension once');
    assert.equal(sandbox.stats().tokenRequests, requestsBefore, 'no token request');
    assert.equal((await userTokenTooltip()).expires, before.expires, 'the same user token');
    assert.deepEqual(await notificationMessages(page), [], 'no "Signed in" toast, no toast at all');
  });

  itSignsInWithTheBrowser(ROUND_TRIPS.loopback);

  itSignsInWithTheBrowser(ROUND_TRIPS.implicit);

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
    assert.match(
      toast,
      /Fortellis sign-in \(sandbox\): No sign-in arrived within 10 s \(VS Code URI handler\)\. Check that the app's registered Callback URL is http:\/\/127\.0\.0\.1:\d+\//,
    );
    const buttons = await notificationButtons(page, 'No sign-in arrived within 10 s');
    assert.ok(
      buttons.some((label) => /^Try /.test(label)),
      `a button to try another way: ${buttons.join(', ')}`,
    );
    // Closing the error answers it: the sign-in ends without trying another way.
    await clearNotifications(page);
    await waitForStatus(page, USER_COUNTDOWN);
  });

  itSignsInWithTheBrowser(ROUND_TRIPS.paste);

  it('"Renew Token" after the refresh token was revoked: invalid_grant, "sign in with the browser again"; the app token and the profile stay', async () => {
    const before = await userTokenTooltip();
    assert.match(before.text, /with the refresh token/);
    assert.ok((await sandbox.revokeRefreshTokens()) >= 1, "the sandbox destroyed the sign-in's grant and refresh token");
    await clearNotifications(page);
    const requestsBefore = sandbox.stats().tokenRequests;
    await runCommand(page, 'Fortellis: Renew Token', 'Fortellis: Renew Token');
    await waitForNotification(page, 'can no longer be renewed');
    await waitForProgressToEnd(page);
    const renewed = await notificationMessage(page, `Fortellis token for "${PROFILE}" renewed`);
    const error = await notificationMessage(page, 'can no longer be renewed');
    await screenshot(page, 'revoked-refresh-token');
    issuedOutsideRoundTrips.push('the app token "Renew Token" renewed');
    assert.match(renewed, /^Fortellis token for "sandbox" renewed: expires in 59m/);
    assert.equal(
      error,
      'Fortellis (sandbox): The browser sign-in of "sandbox" can no longer be renewed: its refresh token expired or was revoked. Run "Fortellis: Sign In with Browser" to sign in again.',
    );
    assert.deepEqual(
      await notificationButtons(page, 'can no longer be renewed'),
      ['Sign In with Browser', 'Show Log'],
      'the fix, not a retry that cannot work',
    );
    assert.equal(sandbox.stats().tokenRequests - requestsBefore, 2, "the app token's renewal, then one refresh that got invalid_grant");
    await waitForStatus(page, APP_COUNTDOWN);
    // The user token still works until it expires; only its dead refresh token is gone.
    await waitForStatus(page, USER_COUNTDOWN);
    const after = await userTokenTooltip();
    assert.equal(after.expires, before.expires, 'the same user token');
    assert.match(after.text, /No refresh token: sign in with the browser again when it expires\./);
    const settings = JSON.parse(await readFile(join(userDataDir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(
      (settings['fortellis.profiles'] as Array<{ name: string }>).map((profile) => profile.name),
      [PROFILE],
      'the profile stays',
    );
    assert.equal(await extensionLogCount('Refreshing the user token of "sandbox" failed: [invalid-grant 400]'), 1, 'the log keeps what the server said');
  });

  it('loopback mode: a callback with a forged state is answered "not the sign-in VS Code is waiting for" and ignored; the real sign-in then completes', async () => {
    await editUserSettings((settings) => setCallbackMode(settings, 'loopback'));
    assert.equal(await waitForCallbackMode('Local loopback server'), LOOPBACK_CALLBACK);
    await clearNotifications(page);
    const before = await userTokenTooltip();
    const requestsBefore = sandbox.stats().tokenRequests;
    const signedInShown = whenSignedInShows();
    const { popup } = await startSignIn(SIGN_IN_COMMAND);
    await popup.locator('input[name="login"]').waitFor();
    await waitForNotification(page, PROGRESS_TOAST);
    // While VS Code waits, another page sends the loopback server a made-up code with a state it never issued.
    const forged = await fetch(`${LOOPBACK_CALLBACK}?${new URLSearchParams({ code: 'made-up-code', state: 'forged-state' })}`);
    const forgedAnswer = await forged.text();
    assert.equal(forged.status, 400);
    assert.match(forgedAnswer, /<h1>Not the sign-in VS Code is waiting for<\/h1>/);
    assert.match(forgedAnswer, /This sign-in response is stale, repeated or not from VS Code, so it was ignored\./);
    assert.equal(sandbox.stats().tokenRequests, requestsBefore, 'no token request for the forged callback');
    await screenshot(page, 'forged-state-still-waiting');
    const visit = await logInAndConsent(popup, LOOPBACK_SIGNED_IN_HEADING, 'forged-state');
    await signedInShown;
    const toast = await notificationMessage(page, SIGNED_IN_TOAST);
    await waitForProgressToEnd(page);
    await screenshot(page, 'forged-state-workbench');
    await popup.close();
    issuedOutsideRoundTrips.push("the forged-state test's sign-in");
    assert.equal(visit.landedText, LOOPBACK_SIGNED_IN_PAGE);
    assert.match(toast, /Signed in to Fortellis as dealer-bob \(sandbox\): user token expires in 59m\./);
    assert.equal(sandbox.stats().tokenRequests - requestsBefore, 1, 'exactly one code exchange: the real one');
    assert.notEqual((await userTokenTooltip()).expires, before.expires, 'the countdown shows the new user token');
  });

  it('another extension gets the session through vscode.authentication.getSession; signed out in the Accounts menu, it gets a new one through a browser sign-in', async () => {
    // A session exists (the previous test's): VS Code asks whether the extension may use it, then hands it over.
    await clearNotifications(page);
    const requestsBefore = sandbox.stats().tokenRequests;
    await runCommand(page, CONSUMER_COMMAND, CONSUMER_COMMAND);
    const prompt = await waitForDialog(page, ALLOW_PROMPT);
    await screenshot(page, 'consumer-allow-dialog');
    assert.equal(prompt.message, ALLOW_PROMPT);
    assert.deepEqual([...prompt.buttons].sort(), ['Allow', 'Cancel']);
    await clickDialogButton(page, 'Allow');
    await waitForNotification(page, CONSUMER_TOAST);
    await screenshot(page, 'consumer-existing-session');
    assert.match(await notificationMessage(page, CONSUMER_TOAST), CONSUMER_SESSION);
    assert.equal(sandbox.stats().tokenRequests, requestsBefore, 'the existing session: no sign-in, no token request');

    // The Accounts menu lists the Fortellis account; signing out there ends the session.
    await clearNotifications(page);
    assert.ok((await openAccountsMenu(page)).includes(ACCOUNT), 'the Accounts menu lists the Fortellis account');
    assert.ok((await openSubmenu(page, ACCOUNT)).includes('Sign Out'));
    await screenshot(page, 'accounts-menu');
    await clickMenuItem(page, 'Sign Out');
    const confirmation = await waitForDialog(page, 'Sign out from these extensions?');
    await screenshot(page, 'accounts-sign-out-dialog');
    assert.match(
      confirmation.message,
      /^The account 'dealer-bob \(sandbox\)' has been used by:\s+Fortellis Session Consumer\s+Sign out from these extensions\?$/,
    );
    await clickDialogButton(page, 'Sign Out');
    await waitForStatusGone(page, /^Fortellis user:/);
    await waitForStatus(page, APP_COUNTDOWN);
    await screenshot(page, 'accounts-signed-out');

    // No session now: getSession (createIfNone) asks again, then the provider's createSession signs in with the browser.
    await clearNotifications(page);
    const issuedBefore = sandbox.stats().issuedAccessTokens.length;
    await context.clearCookies({ domain: new URL(sandbox.issuer).hostname });
    const signedInShown = whenSignedInShows();
    const popupOpened = context.waitForEvent('page');
    await runCommand(page, CONSUMER_COMMAND, CONSUMER_COMMAND);
    assert.equal((await waitForDialog(page, ALLOW_PROMPT)).message, ALLOW_PROMPT);
    await clickDialogButton(page, 'Allow');
    const popup = await popupOpened;
    const visit = await logInAndConsent(popup, LOOPBACK_SIGNED_IN_HEADING, 'consumer-new-session');
    await signedInShown;
    await waitForNotification(page, CONSUMER_TOAST);
    const created = await notificationMessage(page, CONSUMER_TOAST);
    await waitForProgressToEnd(page);
    await screenshot(page, 'consumer-new-session-workbench');
    await popup.close();
    issuedOutsideRoundTrips.push("the consumer's new session");
    assert.equal(visit.landedOn, LOOPBACK_CALLBACK);
    assert.match(created, CONSUMER_SESSION);
    assert.equal(sandbox.stats().tokenRequests - requestsBefore, 1, 'one code exchange: the new session');
    assert.equal(sandbox.stats().issuedAccessTokens.length - issuedBefore, 1, 'a new access token');
    await waitForStatus(page, USER_COUNTDOWN);
  });

  it('writes the measured round trips to test-results/e2e-sign-in.json', async () => {
    assert.equal(roundTrips.length, 4);
    await writeFile(roundTripsFile, `${JSON.stringify(roundTrips, null, 2)}\n`);
    console.log(roundTripTable(roundTrips));
  });

  it('leaves the API secret and the tokens issued in no setting, log, browser storage, DOM or test output', async () => {
    const issued = sandbox.stats().issuedAccessTokens;
    // The app's token from "Get Fortellis Token", one user token per round trip, and the others the tests noted.
    assert.equal(issued.length, 1 + roundTrips.length + issuedOutsideRoundTrips.length);
    const needles: Record<string, string> = { 'API secret': app.apiSecret };
    issued.forEach((token, index) => (needles[`access token ${index + 1}`] = token));
    // The scan must look where the extension writes: its log channel is among the files scanned.
    assert.match(await extensionLogs(), /Signed in to "sandbox" as dealer-bob: user token expires .*, refresh token kept\./);
    assert.deepEqual(await userDataContaining(userDataDir, needles), []);
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
