import * as vscode from 'vscode';
import type { CallbackMode } from '../../core/signIn/callbackModes';
import { checkedLoopbackRedirectUri, startLoopbackCallback } from '../../core/signIn/loopbackCallbackServer';
import { acceptOneCallback, type AcceptedCallback, type ExpectedCallback, parseSignInCallback } from '../../core/signIn/signInCallback';
import type { UriEventHandler } from './uriEventHandler';

/** A way for the sign-in's redirect to reach the extension. It listens before the browser opens. */
export interface CallbackReceiver {
  readonly mode: CallbackMode;
  /** The redirect_uri to send, which must equal a Callback URL registered for the app. */
  redirectUri(): Promise<string>;
  listen(expected: ExpectedCallback, timeoutMs: number): Promise<CallbackWait>;
}

export interface CallbackWait extends vscode.Disposable {
  /** The first callback answering this sign-in; forged, stale and replayed callbacks are ignored. */
  readonly callback: Promise<AcceptedCallback>;
}

/** `<uriScheme>://<publisher>.<name>/callback`, mapped by asExternalUri to what the host can receive (remote, web). */
export class UriHandlerReceiver implements CallbackReceiver {
  readonly mode = 'uriHandler';

  constructor(
    private readonly uriHandler: UriEventHandler,
    private readonly extensionId: string,
  ) {}

  async redirectUri(): Promise<string> {
    const callback = vscode.Uri.parse(`${vscode.env.uriScheme}://${this.extensionId}/callback`);
    return (await vscode.env.asExternalUri(callback)).toString(true);
  }

  async listen(expected: ExpectedCallback): Promise<CallbackWait> {
    const accept = acceptOneCallback(expected);
    let subscription: vscode.Disposable | undefined;
    const callback = new Promise<AcceptedCallback>((resolve) => {
      subscription = this.uriHandler.event((received) => {
        const parsed = accept(received.uri.toString(true));
        if (parsed.kind !== 'foreign') {
          received.claim();
          resolve(parsed);
        }
      });
    });
    return { callback, dispose: () => subscription?.dispose() };
  }
}

/** A short-lived server on the app's registered loopback Callback URL. */
export class LoopbackReceiver implements CallbackReceiver {
  readonly mode = 'loopback';

  constructor(private readonly loopbackRedirectUri: () => string) {}

  async redirectUri(): Promise<string> {
    return this.loopbackRedirectUri();
  }

  async listen(expected: ExpectedCallback, timeoutMs: number): Promise<CallbackWait> {
    const server = await startLoopbackCallback({ redirectUri: this.loopbackRedirectUri(), timeoutMs, expected });
    return { callback: server.callback, dispose: () => void server.close() };
  }
}

/** The user copies the address the browser landed on (any registered Callback URL works) and pastes it. */
export class PasteReceiver implements CallbackReceiver {
  readonly mode = 'paste';

  constructor(private readonly loopbackRedirectUri: () => string) {}

  async redirectUri(): Promise<string> {
    return checkedLoopbackRedirectUri(this.loopbackRedirectUri());
  }

  async listen(expected: ExpectedCallback): Promise<CallbackWait> {
    const accept = acceptOneCallback(expected);
    const cancel = new vscode.CancellationTokenSource();
    const callback = (async () => {
      const pasted = await vscode.window.showInputBox(
        {
          title: 'Fortellis sign-in: paste the callback URL',
          prompt: "After signing in, copy the full address from the browser's address bar (it starts with the Callback URL) and paste it here.",
          ignoreFocusOut: true,
          validateInput: (value) =>
            parseSignInCallback(value.trim(), expected).kind === 'foreign'
              ? 'That address does not answer this sign-in: copy the address the browser shows after you signed in.'
              : undefined,
        },
        cancel.token,
      );
      if (pasted === undefined) {
        throw new vscode.CancellationError();
      }
      const parsed = accept(pasted.trim());
      if (parsed.kind === 'foreign') {
        throw new Error('The pasted address does not answer this sign-in.');
      }
      return parsed;
    })();
    return { callback, dispose: () => cancel.cancel() };
  }
}
