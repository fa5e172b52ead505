/**
 * The Callback URLs of the sign-in test app, shared by the integration runner and the end-to-end tests:
 * both register the loopback one with the sandbox and let it accept code-server's callback.
 */

/** The loopback Callback URL registered for the test app. */
export const LOOPBACK_CALLBACK = 'http://127.0.0.1:8123/callback';

/** code-server's callback for the URI handler: its per-request id changes the URL each time. */
export function isCodeServerCallback(redirectUri: string): boolean {
  return /^http:\/\/127\.0\.0\.1:\d+\/[^?#]*\/callback\?vscode-reqid=\d+&vscode-scheme=[\w-]+&vscode-authority=fortellis-auth\.fortellis-auth&vscode-path=%2Fcallback(&|$)/.test(redirectUri);
}
