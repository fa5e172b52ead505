import * as vscode from 'vscode';
import { buildAuthorizeRequest, type SignInResponseType } from '../core/signIn/authorizeRequest';
import { CALLBACK_MODE_LABELS, type CallbackMode, callbackModes, type SignInGrant } from '../core/signIn/callbackModes';
import { countdownLabel } from '../core/tokens/countdown';
import { checkIdToken } from '../core/signIn/idToken';
import { verifyImplicitIdToken } from '../core/signIn/implicitIdToken';
import { jwtClaims } from '../core/tokens/jwt';
import type { Profile } from '../core/profiles/profiles';
import type { Redactor } from '../core/text/redaction';
import { type AcceptedCallback, signInErrorMessage } from '../core/signIn/signInCallback';
import type { IssuedToken } from '../core/tokens/token';
import { issuedTokenFromCallback, requestAuthorizationCodeToken } from '../core/tokens/tokenRequests';
import type { Log } from '../log';
import type { Settings } from '../settings';
import type { TokenService } from '../tokens/tokenService';
import type { CallbackFlow } from './callbackReceivers';

class SignInTimeout extends Error {}

/**
 * Signs a user in through the browser with the profile's app: the authorization code flow (PKCE, refresh tokens) or
 * the legacy implicit flow. Each callback mode is a small flow class; when one fails, the others are offered.
 */
export class BrowserSignIn {
  constructor(
    private readonly flows: Readonly<Record<CallbackMode, CallbackFlow>>,
    private readonly settings: Settings,
    private readonly tokens: TokenService,
    private readonly redactor: Redactor,
    private readonly log: Log,
  ) {}

  /** Returns the user token, or undefined when the user cancelled or gave up. Failures are shown, not thrown. */
  async signIn(profile: Profile, grant: SignInGrant): Promise<IssuedToken | undefined> {
    const secret = await this.tokens.storedSecret(profile);
    if (secret === undefined) {
      void vscode.window.showErrorMessage(`Fortellis (${profile.name}): the code exchange needs the app's API secret. Run "Get Fortellis Token" to enter it, then sign in.`);
      return undefined;
    }
    const modes = callbackModes(grant, profile.callbackMode ?? 'uriHandler');
    for (const [index, mode] of modes.entries()) {
      try {
        return await this.attempt(profile, grant, this.flows[mode], secret);
      } catch (error) {
        if (error instanceof vscode.CancellationError) {
          this.log.info(`Sign-in for "${profile.name}" cancelled.`);
          void vscode.window.showInformationMessage(`Fortellis sign-in for "${profile.name}" cancelled. Nothing changed.`);
          return undefined;
        }
        const message = this.redactor.redact(error instanceof Error ? error.message : String(error));
        this.log.error(`Sign-in for "${profile.name}" (${mode}) failed: ${message}`);
        const next = modes[index + 1];
        const tryNext = next && `Try ${CALLBACK_MODE_LABELS[next]}`;
        const choice = await vscode.window.showErrorMessage(`Fortellis sign-in (${profile.name}): ${message}`, ...(tryNext ? [tryNext] : []), 'Show Log');
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

  private async attempt(profile: Profile, grant: SignInGrant, flow: CallbackFlow, apiSecret: string): Promise<IssuedToken> {
    const environment = this.tokens.environment(profile);
    const responseType: SignInResponseType = grant === 'code' ? 'code' : this.settings.signIn().implicitResponseType;
    const request = buildAuthorizeRequest({
      issuer: environment.issuer,
      clientId: profile.apiKey,
      redirectUri: await flow.redirectUri(),
      scopes: this.scopes(grant),
      responseType,
      pkce: this.settings.signIn().pkce,
    });
    this.redactor.add(request.state, request.nonce, request.codeVerifier);
    const timeoutMs = this.settings.signIn().timeoutSeconds * 1000;
    const wait = await flow.listen({ state: request.state, responseType }, timeoutMs);
    try {
      this.log.info(`Sign-in for "${profile.name}": ${responseType} flow, ${flow.mode} callback, redirect_uri ${request.redirectUri}, PKCE ${request.codeVerifier ? 'on' : 'off'}.`);
      // As a string: a vscode.Uri would be re-encoded, mangling the redirect_uri inside the query. The API accepts it.
      if (!(await vscode.env.openExternal(request.url as unknown as vscode.Uri))) {
        throw new Error('The browser could not be opened.');
      }
      const callback = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Signing in to Fortellis (${profile.name})… complete the sign-in in your browser.`, cancellable: true },
        (_progress, cancellation) => raceCallback(wait.callback, timeoutMs, cancellation),
      );
      const token = await this.tokenFrom(callback, profile, apiSecret, request);
      await this.tokens.saveUserToken(profile, token);
      const who = this.userName(token) ?? 'the user';
      this.log.info(`Signed in to "${profile.name}" as ${who}: user token expires ${new Date(token.expiresAt).toISOString()}${token.refreshToken ? ', refresh token kept' : ''}.`);
      void vscode.window.showInformationMessage(`Signed in to Fortellis as ${who} (${profile.name}): user token expires in ${countdownLabel(token.expiresAt - Date.now())}.`);
      return token;
    } catch (error) {
      if (error instanceof SignInTimeout) {
        throw new Error(
          `No sign-in arrived within ${Math.round(timeoutMs / 1000)} s (${CALLBACK_MODE_LABELS[flow.mode]}). Check that the app's registered Callback URL is ${request.redirectUri}.`,
        );
      }
      throw error;
    } finally {
      wait.dispose();
    }
  }

  private async tokenFrom(
    callback: AcceptedCallback,
    profile: Profile,
    apiSecret: string,
    request: { redirectUri: string; codeVerifier?: string; nonce: string },
  ): Promise<IssuedToken> {
    const { issuer } = this.tokens.environment(profile);
    let token: IssuedToken;
    switch (callback.kind) {
      case 'error':
        throw new Error(signInErrorMessage(callback));
      case 'code':
        this.redactor.add(callback.code);
        // Fortellis codes die 60 s after they are issued: exchange at once, never retry.
        token = await requestAuthorizationCodeToken(
          issuer,
          { apiKey: profile.apiKey, apiSecret },
          { code: callback.code, redirectUri: request.redirectUri, codeVerifier: request.codeVerifier },
          this.tokens.requestOptions(),
        );
        break;
      case 'tokens':
        token = issuedTokenFromCallback(issuer, callback, Date.now());
        if (token.idToken) {
          // It came through the browser: its signature (the issuer's JWKS) and at_hash (the access token) must hold.
          await verifyImplicitIdToken(token.idToken, token.accessToken, { issuer, clientId: profile.apiKey, nonce: request.nonce, now: Date.now() }, this.settings.http());
        }
        break;
    }
    this.redactor.add(token.accessToken, token.refreshToken, token.idToken);
    if (token.idToken) {
      checkIdToken(token.idToken, { issuer, clientId: profile.apiKey, nonce: request.nonce, now: Date.now() });
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
