import { join } from 'node:path';
import { repoRoot } from './paths';

/**
 * What the host-level tests (end to end, the tour) and `npm run demo` share: where the extension and the results are,
 * the names they sign in as, and what the workbench and the browser show. Each is written here once.
 */

/** Built by `npm run package` (part of `npm test`, `npm run demo`): the extension as users install it. */
export const FORTELLIS_VSIX = join(repoRoot, 'dist', 'fortellis-auth.vsix');

/** Screenshots and logs of the end-to-end suites (each keeps its own file names in it). */
export const E2E_RESULTS_DIR = join(repoRoot, 'test-results', 'e2e');

/** The profile the suites create ("Get Fortellis Token" in the palette) and the demo starts with. */
export const SANDBOX_PROFILE = 'sandbox';

/** The loopback Callback URL registered for the test apps (the demo's included): port 8123, as Fortellis' examples. */
export const LOOPBACK_CALLBACK = 'http://127.0.0.1:8123/callback';

/** What the start of an end-to-end suite (sandbox, code-server, browser, workbench) may take, with a cold disk cache. */
export const START_UP_TIMEOUT_MS = 240_000;

/** How long a browser sign-in may take to show in the workbench: login, consent, redirect, code exchange. */
export const SIGN_IN_SHOWN_TIMEOUT_MS = 60_000;

export const SIGN_IN_COMMAND = 'Fortellis: Sign In with Browser';
export const IMPLICIT_SIGN_IN_COMMAND = 'Fortellis: Sign In with Browser (Legacy Implicit Flow)';

/** What code-server's /callback page (vs/code/browser/workbench/callback.html) says once it has passed the URL on. */
export const CODE_SERVER_CALLBACK_TEXT = 'You can close this page now.';

/** The extension's loopback page once it has the sign-in response: its heading, then its text. */
export const LOOPBACK_SIGNED_IN_HEADING = 'Signed in to Fortellis';
export const LOOPBACK_SIGNED_IN_PAGE = 'Signed in to Fortellis\nSigned in to Fortellis. You can close this tab and return to VS Code.';

/** The app token's countdown right after it was issued: it lives an hour. */
export const NEW_APP_COUNTDOWN = /^Fortellis: sandbox · 59m$/;
/** Later, the minutes left count down: a slow machine may be past the first minute. */
export const APP_COUNTDOWN = /^Fortellis: sandbox · \d+m$/;
/** The user token's countdown right after a sign-in. */
export const NEW_USER_COUNTDOWN = /^Fortellis user: sandbox · 59m$/;
