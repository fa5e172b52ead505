import * as vscode from 'vscode';
import type { Clock } from '../core/tokens/clock';
import type { Environment } from '../core/profiles/environments';
import { clientCredentialsCacheKey, credentialKey, type Profile, resolveEnvironment, userCacheKey } from '../core/profiles/profiles';
import type { Redactor } from '../core/text/redaction';
import { cacheKeyOf, isUsable, TokenCache } from '../core/tokens/tokenCache';
import type { IssuedToken } from '../core/tokens/token';
import { requestClientCredentialsToken, requestRefreshToken, type TokenRequestOptions } from '../core/tokens/tokenRequests';
import { TokenRequestError } from '../core/tokens/tokenErrors';
import type { Keychain } from '../profiles/keychain';
import type { Log } from '../log';
import type { Settings } from '../settings';

/** Client-credentials requests: up to 3 attempts for transient failures. */
const MAX_ATTEMPTS = 3;

/** A profile's API secret is not in SecretStorage (new window after sign-out, profile from settings sync). */
export class MissingSecretError extends Error {
  constructor(readonly profile: Profile) {
    super(`No API secret is stored for profile "${profile.name}". Enter it to get a token.`);
  }
}

/** Tokens for profiles: the glue between settings, the keychain, the token client and the cache. */
export class TokenService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly cache: TokenCache;

  constructor(
    private readonly settings: Settings,
    private readonly keychain: Keychain,
    secrets: vscode.SecretStorage,
    private readonly clock: Clock,
    private readonly redactor: Redactor,
    private readonly log: Log,
  ) {
    this.cache = new TokenCache(secrets, clock, () => settings.renewal(), {
      onDidChange: () => this.changed.fire(),
      onRenewalFailed: (_key, error, nextAttemptAt) =>
        this.log.warn(
          `Renewing the token failed: ${describe(error)} ${nextAttemptAt ? `Next attempt at ${new Date(nextAttemptAt).toLocaleTimeString()}; the current token is still served.` : 'The token expires before another attempt; get a new one when you need it.'}`,
        ),
    });
  }

  environment(profile: Profile): Environment {
    return resolveEnvironment(profile, this.settings.sandbox());
  }

  /** A usable token for the profile: cached, or requested with the stored secret. */
  async getToken(profile: Profile): Promise<IssuedToken> {
    const environment = this.environment(profile);
    return this.remember(await this.cache.get(clientCredentialsCacheKey(profile, environment), () => this.request(profile, environment)));
  }

  /** The cached token if it is still usable, without any request. */
  async usableCachedToken(profile: Profile): Promise<IssuedToken | undefined> {
    const token = await this.peek(profile);
    return isUsable(token, this.clock.now()) ? token : undefined;
  }

  async renew(profile: Profile): Promise<IssuedToken> {
    const environment = this.environment(profile);
    return this.cache.renew(clientCredentialsCacheKey(profile, environment), () => this.request(profile, environment));
  }

  /** The latest token for the profile, expired or not, without a request. */
  async peek(profile: Profile): Promise<IssuedToken | undefined> {
    return this.remember(await this.cache.peek(clientCredentialsCacheKey(profile, this.environment(profile))));
  }

  /** Requests a token with a secret the user just entered, without storing anything. */
  async verify(profile: Profile, apiSecret: string): Promise<IssuedToken> {
    this.redactor.add(apiSecret);
    return this.requestWith(profile, this.environment(profile), apiSecret);
  }

  /** Stores the secret and the token it was verified with. */
  async saveCredentials(profile: Profile, apiSecret: string, token?: IssuedToken): Promise<void> {
    const environment = this.environment(profile);
    await this.keychain.setApiSecret(credentialKey(profile, environment), apiSecret);
    const key = clientCredentialsCacheKey(profile, environment);
    if (token) {
      await this.cache.put(key, token);
    } else {
      await this.cache.forget(key);
    }
  }

  storedSecret(profile: Profile): Thenable<string | undefined> {
    return this.keychain.getApiSecret(credentialKey(profile, this.environment(profile)));
  }

  /** The edit moved the credentials to another key (name, issuer or API key changed). */
  credentialsMoved(before: Profile, after: Profile): boolean {
    return credentialKey(before, this.environment(before)) !== credentialKey(after, this.environment(after));
  }

  /** Forgets the profile's secret and cached tokens, the signed-in user's included. */
  async signOut(profile: Profile): Promise<void> {
    const environment = this.environment(profile);
    await this.keychain.deleteApiSecret(credentialKey(profile, environment));
    await this.cache.forget(clientCredentialsCacheKey(profile, environment));
    await this.cache.forget(userCacheKey(profile, environment));
    this.log.info(`Signed out of profile "${profile.name}": its API secret and cached tokens were deleted.`);
  }

  /** The signed-in user's token (with its refresh token), expired or not. */
  async userToken(profile: Profile): Promise<IssuedToken | undefined> {
    return this.remember(await this.cache.peek(userCacheKey(profile, this.environment(profile))));
  }

  async saveUserToken(profile: Profile, token: IssuedToken): Promise<void> {
    await this.cache.put(userCacheKey(profile, this.environment(profile)), this.remember(token));
  }

  /** A usable user token: the cached one, or a refreshed one. Throws when there is neither. */
  async freshUserToken(profile: Profile): Promise<IssuedToken> {
    const environment = this.environment(profile);
    return this.cache.get(userCacheKey(profile, environment), () => this.refresh(profile, environment));
  }

  /** A new user token from the refresh token now; on failure the current one stays. */
  renewUserToken(profile: Profile): Promise<IssuedToken> {
    const environment = this.environment(profile);
    return this.cache.renew(userCacheKey(profile, environment), () => this.refresh(profile, environment));
  }

  async forgetUser(profile: Profile): Promise<void> {
    await this.cache.forget(userCacheKey(profile, this.environment(profile)));
    this.log.info(`Signed the browser user of profile "${profile.name}" out: the user token was deleted.`);
  }

  /** Request options as the settings say, for every token request the extension makes. */
  requestOptions(): TokenRequestOptions {
    return {
      timeoutMs: this.settings.timeoutMs(),
      maxAttempts: MAX_ATTEMPTS,
      proxy: this.settings.proxy(),
      now: () => this.clock.now(),
      onRetry: (message) => this.log.warn(message),
    };
  }

  /**
   * Renews the active profile's tokens before they expire (if renewal is on): the app token, and the signed-in
   * user's when it has a refresh token. No other profile's.
   */
  async keepFresh(profile: Profile | undefined): Promise<void> {
    this.cache.stopKeepingFresh();
    if (!profile) {
      return;
    }
    const environment = this.environment(profile);
    this.cache.keepFresh(clientCredentialsCacheKey(profile, environment), () => this.request(profile, environment));
    if ((await this.userToken(profile))?.refreshToken) {
      this.cache.keepFresh(userCacheKey(profile, environment), () => this.refresh(profile, environment));
    }
  }

  renewalSettingsChanged(): void {
    this.cache.policyChanged();
  }

  /** SecretStorage changed, possibly in another window. */
  async secretChanged(key: string): Promise<void> {
    if (cacheKeyOf(key) !== undefined) {
      await this.cache.storeChanged(key);
    }
  }

  /** Every token the extension holds is redacted from then on, wherever it would appear. */
  private remember<T extends IssuedToken | undefined>(token: T): T {
    this.redactor.add(token?.accessToken, token?.refreshToken, token?.idToken);
    return token;
  }

  dispose(): void {
    this.cache.dispose();
    this.changed.dispose();
  }

  private async request(profile: Profile, environment: Environment): Promise<IssuedToken> {
    const secret = await this.keychain.getApiSecret(credentialKey(profile, environment));
    if (secret === undefined) {
      throw new MissingSecretError(profile);
    }
    this.redactor.add(secret);
    return this.requestWith(profile, environment, secret);
  }

  /**
   * A new user token from the refresh token. On invalid_grant (the refresh token expired or was revoked) the dead
   * refresh token is dropped, the user token is kept until it expires, and the error says to sign in with the browser.
   */
  private async refresh(profile: Profile, environment: Environment): Promise<IssuedToken> {
    const current = await this.userToken(profile);
    if (!current?.refreshToken) {
      throw new Error(`The browser sign-in of "${profile.name}" has expired and has no refresh token: run "Sign In with Browser" again.`);
    }
    const secret = await this.keychain.getApiSecret(credentialKey(profile, environment));
    if (secret === undefined) {
      throw new MissingSecretError(profile);
    }
    this.log.info(`POST ${environment.issuer}/v1/token grant_type=refresh_token (profile "${profile.name}")`);
    let token: IssuedToken;
    try {
      token = await requestRefreshToken(environment.issuer, { apiKey: profile.apiKey, apiSecret: secret }, current.refreshToken, this.requestOptions());
    } catch (error) {
      this.log.error(`Refreshing the user token of "${profile.name}" failed: ${describe(error)}`);
      if (!(error instanceof TokenRequestError && error.kind === 'invalid-grant')) {
        throw error;
      }
      await this.saveUserToken(profile, { ...current, refreshToken: undefined });
      throw new TokenRequestError(
        'invalid-grant',
        `The browser sign-in of "${profile.name}" can no longer be renewed: its refresh token expired or was revoked. Run "Fortellis: Sign In with Browser" to sign in again.`,
        error.details,
      );
    }
    this.remember(token);
    this.log.info(`User token for "${profile.name}" refreshed: expires ${new Date(token.expiresAt).toISOString()}.`);
    return token;
  }

  private async requestWith(profile: Profile, environment: Environment, apiSecret: string): Promise<IssuedToken> {
    const started = this.clock.now();
    this.log.info(`POST ${environment.issuer}/v1/token grant_type=client_credentials scope=anonymous (profile "${profile.name}", key ${profile.apiKey})`);
    try {
      const token = await requestClientCredentialsToken(environment.issuer, { apiKey: profile.apiKey, apiSecret }, this.requestOptions());
      this.remember(token);
      this.log.info(
        `Token for "${profile.name}" received in ${this.clock.now() - started} ms: ${token.tokenType}, scope ${token.scope ?? '(none)'}, expires ${new Date(token.expiresAt).toISOString()}.`,
      );
      return token;
    } catch (error) {
      this.log.error(`Token request for "${profile.name}" failed after ${this.clock.now() - started} ms: ${describe(error)}`);
      throw error;
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof TokenRequestError) {
    return `[${error.kind}${error.details.status ? ` ${error.details.status}` : ''}] ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
