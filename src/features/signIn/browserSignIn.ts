import * as vscode from 'vscode';
import { buildAuthorizeRequest, type SignInResponseType } from '../../core/signIn/authorizeRequest';
import { CALLBACK_MODE_LABELS, type CallbackMode, callbackModes, type SignInGrant } from '../../core/signIn/callbackModes';
import { countdownLabel } from '../../core/tokens/countdown';
import { checkIdToken } from '../../core/signIn/idToken';
import { verifyImplicitIdToken } from '../../core/signIn/implicitIdToken';
import { jwtClaims } from '../../core/tokens/jwt';
import type { Profile } from '../../core/profiles/profiles';
import type { Redactor } from '../../core/text/redaction';
import { type AcceptedCallback, signInErrorMessage } from '../../core/signIn/signInCallback';
import { systemClock } from '../../core/tokens/clock';
import type { IssuedToken } from '../../core/tokens/token';
import type { PinnedSignIn, TokenLifecycle } from '../../core/tokens/tokenLifecycle';
import type { Log } from '../../platform/log';
import type { Settings } from '../../platform/settings/settings';
import type { CallbackReceiver } from './callbackReceivers';
import { messageOf } from '../../core/text/errorMessage';

class SignInTimeout extends Error {}

/**
 * Signs a user in through the browser with the profile's app: the authorization code flow (PKCE, refresh tokens) or
 * the legacy implicit flow. Each callback mode has its receiver; when one fails, the others are offered. The sign-in
 * is pinned to the profile's issuer, API key and secret when it starts (TokenLifecycle.beginSignIn).
 */
export class BrowserSignIn {
  constructor(
    private readonly receivers: Readonly<Record<CallbackMode, CallbackReceiver>>,
    private readonly settings: Settings,
    private readonly tokens: TokenLifecycle,
    private readonly redactor: Redactor,
    private readonly log: Log,
    /** Asks for the profile's API secret (masked), checks and stores it; false when the user cancelled. */
    private readonly enterSecret: (profile: Profile) => Promise<boolean>,
  ) {}

  /** Returns the user token, or undefined when the user cancelled or gave up. Failures are shown, not thrown. */
  async signIn(profile: Profile, grant: SignInGrant): Promise<IssuedToken | undefined> {
    if (!(await this.tokens.hasSecret(profile)) && !(await this.enterSecret(profile))) {
      return undefined;
    }
    const modes = callbackModes(grant, profile.callbackMode ?? 'uriHandler');
    for (const [index, mode] of modes.entries()) {
      try {
        return await this.attempt(profile, grant, this.receivers[mode]);
      } catch (error) {
        if (error instanceof vscode.CancellationError) {
          this.log.info(`Sign-in for "${profile.name}" cancelled.`);
          void this.log.showInformation(`Fortellis sign-in for "${profile.name}" cancelled. Nothing changed.`);
          return undefined;
        }
        const message = this.redactor.redact(messageOf(error));
        this.log.error(`Sign-in for "${profile.name}" (${mode}) failed: ${message}`);
        const next = modes[index + 1];
        const tryNext = next && `Try ${CALLBACK_MODE_LABELS[next]}`;
        const choice = await this.log.showError(`Fortellis sign-in (${profile.name}): ${message}`, ...(tryNext ? [tryNext] : []), 'Show Log');
        if (choice === 'Show Log') {
          this.log.show();
        }
        if (!tryNext || choice !== tryNext) {
          return undefined;
        }
      }
    }
    return undefined;
  }

  private async attempt(profile: Profile, grant: SignInGrant, receiver: CallbackReceiver): Promise<IssuedToken> {
    const pinned = await this.tokens.beginSignIn(profile);
    const responseType: SignInResponseType = grant === 'code' ? 'code' : this.settings.signIn().implicitResponseType;
    const request = buildAuthorizeRequest({
      issuer: pinned.issuer,
      clientId: pinned.clientId,
      redirectUri: await receiver.redirectUri(),
      scopes: this.scopes(grant),
      responseType,
      pkce: this.settings.signIn().pkce,
    });
    this.redactor.add(request.state, request.nonce, request.codeVerifier);
    const timeoutMs = this.settings.signIn().timeoutSeconds * 1000;
    const wait = await receiver.listen({ state: request.state, responseType, issuer: pinned.issuer }, timeoutMs);
    try {
      this.log.info(
        `Sign-in for "${profile.name}": ${responseType} flow, ${receiver.mode} callback, redirect_uri ${request.redirectUri}, PKCE ${request.codeVerifier ? 'on' : 'off'}.`,
      );
      // As a string: a vscode.Uri would be re-encoded, mangling the redirect_uri inside the query. The API accepts it.
      if (!(await vscode.env.openExternal(request.url as unknown as vscode.Uri))) {
        throw new Error('The browser could not be opened.');
      }
      const callback = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Signing in to Fortellis (${profile.name})… complete the sign-in in your browser.`,
          cancellable: true,
        },
        (_progress, cancellation) => raceCallback(wait.callback, timeoutMs, cancellation),
      );
      const token = await pinned.save(await this.tokenFrom(callback, pinned, request));
      const who = this.userName(token) ?? 'the user';
      this.log.info(
        `Signed in to "${profile.name}" as ${who}: user token expires ${new Date(token.expiresAt).toISOString()}${token.refreshToken ? ', refresh token kept' : ''}.`,
      );
      void this.log.showInformation(
        `Signed in to Fortellis as ${who} (${profile.name}): user token expires in ${countdownLabel(token.expiresAt - systemClock.now())}.`,
      );
      return token;
    } catch (error) {
      if (error instanceof SignInTimeout) {
        throw new Error(
          `No sign-in arrived within ${Math.round(timeoutMs / 1000)} s (${CALLBACK_MODE_LABELS[receiver.mode]}). Check that the app's registered Callback URL is ${request.redirectUri}.`,
        );
      }
      throw error;
    } finally {
      wait.dispose();
    }
  }

  private async tokenFrom(
    callback: AcceptedCallback,
    pinned: PinnedSignIn,
    request: { redirectUri: string; codeVerifier?: string; nonce: string },
  ): Promise<IssuedToken> {
    let token: IssuedToken;
    switch (callback.kind) {
      case 'error':
        throw new Error(signInErrorMessage(callback));
      case 'code':
        token = await pinned.exchangeCode(callback.code, request.redirectUri, request.codeVerifier);
        break;
      case 'tokens':
        token = await pinned.implicitTokens(callback);
        if (token.idToken) {
          // It came through the browser: its signature (the issuer's JWKS) and at_hash (the access token) must hold.
          await verifyImplicitIdToken(
            token.idToken,
            token.accessToken,
            { issuer: pinned.issuer, clientId: pinned.clientId, nonce: request.nonce, now: systemClock.now() },
            this.settings.http(),
          );
        }
        break;
    }
    if (token.idToken) {
      checkIdToken(token.idToken, { issuer: pinned.issuer, clientId: pinned.clientId, nonce: request.nonce, now: systemClock.now() });
    }
    return token;
  }

  private scopes(grant: SignInGrant): string[] {
    const { scopes, refreshTokens } = this.settings.signIn();
    const list = scopes.split(/\s+/).filter(Boolean);
    // The implicit flow never returns a refresh token.
    return grant === 'code' && refreshTokens && !list.includes('offline_access') ? [...list, 'offline_access'] : list;
  }

  private userName(token: IssuedToken): string | undefined {
    const claims = jwtClaims(token.idToken ?? token.accessToken);
    const name = claims?.preferred_username ?? claims?.email ?? claims?.sub;
    return typeof name === 'string' ? name : undefined;
  }
}

/** The callback, unless the timeout passes or the user cancels first. */
function raceCallback(callback: Promise<AcceptedCallback>, timeoutMs: number, cancellation: vscode.CancellationToken): Promise<AcceptedCallback> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new SignInTimeout()), timeoutMs);
    const cancelled = cancellation.onCancellationRequested(() => reject(new vscode.CancellationError()));
    callback.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      cancelled.dispose();
    });
  });
}
