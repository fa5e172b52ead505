/**
 * How a browser sign-in's redirect gets back to VS Code. Fortellis redirects only to the exact Callback URL
 * registered for the app, so the mode is the user's choice per profile; the others are offered when it fails.
 */
export type CallbackMode = 'uriHandler' | 'loopback' | 'paste';

export type SignInGrant = 'code' | 'implicit';

export const CALLBACK_MODE_LABELS: Readonly<Record<CallbackMode, string>> = {
  uriHandler: 'VS Code URI handler',
  loopback: 'Local loopback server',
  paste: 'Paste the URL from the browser',
};

/**
 * The modes to try, in order: the preferred one first, then the rest ("try a different way").
 * The implicit flow returns its tokens in the URL fragment, which a URI handler never receives
 * (microsoft/vscode#141640), so it uses the loopback page or a pasted URL.
 */
export function callbackModes(grant: SignInGrant, preferred: CallbackMode): CallbackMode[] {
  const possible: CallbackMode[] = grant === 'implicit' ? ['loopback', 'paste'] : ['uriHandler', 'loopback', 'paste'];
  const first = possible.includes(preferred) ? preferred : possible[0];
  return [first, ...possible.filter((mode) => mode !== first)];
}
