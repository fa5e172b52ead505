import * as vscode from 'vscode';
import type { Clock } from './core/clock';
import type { Environment } from './core/environments';
import { clientCredentialsCacheKey, credentialKey, type Profile, resolveEnvironment } from './core/profiles';
import type { Redactor } from './core/redaction';
import { cacheKeyOf, isUsable, TokenCache } from './core/tokenCache';
import { type IssuedToken, requestClientCredentialsToken } from './core/tokenClient';
import { TokenRequestError } from './core/tokenErrors';
import type { Keychain } from './keychain';
import type { Log } from './log';
import type { Settings } from './settings';

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
    const token = await this.cache.get(clientCredentialsCacheKey(profile, environment), () => this.request(profile, environment));
    this.redactor.add(token.accessToken);
    return token;
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
    const token = await this.cache.peek(clientCredentialsCacheKey(profile, this.environment(profile)));
    if (token) {
      this.redactor.add(token.accessToken);
    }
    return token;
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

  /** Forgets the profile's secret and cached tokens. */
  async signOut(profile: Profile): Promise<void> {
    const environment = this.environment(profile);
    await this.keychain.deleteApiSecret(credentialKey(profile, environment));
    await this.cache.forget(clientCredentialsCacheKey(profile, environment));
    this.log.info(`Signed out of profile "${profile.name}": its API secret and cached tokens were deleted.`);
  }

  /** Renews the active profile's token before it expires (if renewal is on); no other profile's. */
  keepFresh(profile: Profile | undefined): void {
    this.cache.stopKeepingFresh();
    if (profile) {
      const environment = this.environment(profile);
      this.cache.keepFresh(clientCredentialsCacheKey(profile, environment), () => this.request(profile, environment));
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

  private async requestWith(profile: Profile, environment: Environment, apiSecret: string): Promise<IssuedToken> {
    const started = this.clock.now();
    this.log.info(`POST ${environment.issuer}/v1/token grant_type=client_credentials scope=anonymous (profile "${profile.name}", key ${profile.apiKey})`);
    try {
      const token = await requestClientCredentialsToken(
        environment.issuer,
        { apiKey: profile.apiKey, apiSecret },
        {
          timeoutMs: this.settings.timeoutMs(),
          maxAttempts: MAX_ATTEMPTS,
          proxy: this.settings.proxy(),
          now: () => this.clock.now(),
          onRetry: (message) => this.log.warn(message),
        },
      );
      this.redactor.add(token.accessToken);
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
