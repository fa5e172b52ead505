/**
 * Every grant, and one request at a time per slot whoever asks: client credentials with the stored secret, refresh
 * (under the cross-window lease), and the sign-in's code exchange and implicit result. A token requested before a
 * sign-out is not written back.
 */
import type { Environment } from '../profiles/environments';
import type { Profile } from '../profiles/profiles';
import type { TokensCallback } from '../signIn/signInCallback';
import type { Redactor } from '../text/redaction';
import { type Clock, delay, isoTime } from './clock';
import type { CredentialStore } from './credentialStore';
import type { LifecycleLog, LifecycleSettings, TokenGrants } from './lifecycleDependencies';
import type { RenewalLease } from './renewalLease';
import { type IssuedToken, isUsable } from './token';
import type { TokenCache } from './tokenCache';
import { describeFailure, IssuerChangedError, MissingSecretError, SignedOutDuringRequestError, TokenRequestError, WindowClosingError } from './tokenErrors';
import type * as TokenRequests from './tokenRequests';
import type { Slot } from './tokenSlot';

/** Client-credentials requests: up to 3 attempts for transient failures. */
const MAX_ATTEMPTS = 3;
/** The token client waits at most 10 s between attempts. */
const MAX_RETRY_WAITS_MS = (MAX_ATTEMPTS - 1) * 10_000;
/** How often a window waiting for another window's refresh looks at the store. */
const LEASE_POLL_MS = 1_000;

/** The longest a token request takes: every attempt timing out, plus the waits between attempts. */
export function longestRequestMs(timeoutMs: number): number {
  return timeoutMs * MAX_ATTEMPTS + MAX_RETRY_WAITS_MS;
}

export interface TokenSourceParts {
  readonly cache: TokenCache;
  readonly credentials: CredentialStore;
  readonly lease: RenewalLease;
  readonly clock: Clock;
  readonly settings: LifecycleSettings;
  readonly log: LifecycleLog;
  readonly redactor: Redactor;
  readonly grants: () => Promise<TokenGrants>;
  readonly sleep?: (ms: number) => Promise<void>;
}

export class TokenSource {
  private readonly inFlight = new Map<string, Promise<IssuedToken>>();
  /** When this window last asked for each slot's token, in elapsed time (Clock.elapsed). */
  private readonly lastRequestElapsed = new Map<string, number>();
  private closed = false;

  constructor(private readonly parts: TokenSourceParts) {}

  /** A usable token: cached (here or by another window), else requested. */
  async usableOrRequested(slot: Slot): Promise<IssuedToken> {
    const cached = await this.parts.cache.latest(slot);
    return cached && isUsable(cached, this.now()) ? cached : this.request(slot);
  }

  /** Every request for a slot's token: one at a time per slot, whoever asks. */
  request(slot: Slot): Promise<IssuedToken> {
    let pending = this.inFlight.get(slot.key);
    if (!pending) {
      pending = this.requestAndStore(slot).finally(() => this.inFlight.delete(slot.key));
      this.inFlight.set(slot.key, pending);
    }
    return pending;
  }

  /** When this window last asked for the slot's token, in elapsed time. */
  lastRequestAt(key: string): number | undefined {
    return this.lastRequestElapsed.get(key);
  }

  /** A client-credentials token requested with `apiSecret`; nothing is stored. */
  async clientCredentials(slot: Slot, apiSecret: string): Promise<IssuedToken> {
    const { profile, environment } = slot;
    const started = this.now();
    this.parts.log.info(`POST ${environment.issuer}/v1/token grant_type=client_credentials scope=anonymous (profile "${profile.name}", key ${profile.apiKey})`);
    try {
      const grants = await this.parts.grants();
      const token = this.parts.cache.accept(
        await grants.requestClientCredentialsToken(environment.issuer, { apiKey: profile.apiKey, apiSecret }, this.requestOptions()),
      );
      this.parts.log.info(
        `Token for "${profile.name}" received in ${this.now() - started} ms: ${token.tokenType}, scope ${token.scope ?? '(none)'}, expires ${isoTime(token.expiresAt)}.`,
      );
      return token;
    } catch (error) {
      this.parts.log.error(`Token request for "${profile.name}" failed after ${this.now() - started} ms: ${describeFailure(error)}`);
      throw error;
    }
  }

  /** A sign-in's code exchanged for the user's token; Fortellis codes die 60 s after they are issued: sent at once, never retried. */
  async exchangeCode(
    profile: Profile,
    environment: Environment,
    apiSecret: string,
    code: { readonly code: string; readonly redirectUri: string; readonly codeVerifier: string | undefined },
  ): Promise<IssuedToken> {
    this.parts.redactor.add(code.code);
    const grants = await this.parts.grants();
    this.parts.log.info(`POST ${environment.issuer}/v1/token grant_type=authorization_code (profile "${profile.name}")`);
    const token = await grants.requestAuthorizationCodeToken(environment.issuer, { apiKey: profile.apiKey, apiSecret }, code, this.requestOptions());
    return this.parts.cache.accept(token);
  }

  /** The user's token from an implicit sign-in's callback. */
  async implicitTokens(environment: Environment, callback: TokensCallback): Promise<IssuedToken> {
    const grants = await this.parts.grants();
    return this.parts.cache.accept(grants.issuedTokenFromCallback(environment.issuer, callback, this.now()));
  }

  dispose(): void {
    this.closed = true;
  }

  private async requestAndStore(slot: Slot): Promise<IssuedToken> {
    this.lastRequestElapsed.set(slot.key, this.parts.clock.elapsed());
    if (slot.subject === 'user') {
      return this.refresh(slot);
    }
    const { cache, credentials } = this.parts;
    const generation = cache.generation(slot.key);
    const secret = await this.slotSecret(slot);
    const token = await this.clientCredentials(slot, secret);
    // Signed out meanwhile, here or in another window: the token is not written back.
    if (cache.generation(slot.key) !== generation || (await credentials.get(slot.profile, slot.environment)) !== secret) {
      throw new SignedOutDuringRequestError(slot.profile.name, 'app');
    }
    await cache.write(slot, token);
    return token;
  }

  /**
   * The secret entered for the slot's issuer and API key, and only that one: its key names them. The settings are
   * checked once more, so a request never goes out for a slot whose issuer the settings no longer name.
   */
  private async slotSecret(slot: Slot): Promise<string> {
    if (this.closed) {
      throw new WindowClosingError('no token was requested.');
    }
    if (this.parts.settings.environment(slot.profile).issuer !== slot.environment.issuer) {
      throw new IssuerChangedError(slot.profile.name);
    }
    const secret = await this.parts.credentials.get(slot.profile, slot.environment);
    if (secret === undefined) {
      throw new MissingSecretError(slot.profile);
    }
    this.parts.redactor.add(secret);
    return secret;
  }

  /**
   * A new user token from the refresh token, safe against other windows doing the same. Every refresh, in the
   * background or asked for, takes the lease in the shared store first; a window that finds another window's lease
   * waits for that window's token instead of sending the same refresh token (a server that detects reuse would revoke
   * the grant). The refresh token sent is the newest this window knows (memory or store). The answer is written only
   * if the store still holds the refresh token that was sent: a newer one (another window) is adopted, none (signed
   * out meanwhile) drops the answer, and after an invalid_grant only the refresh token that was sent is dropped.
   */
  private async refresh(slot: Slot): Promise<IssuedToken> {
    const { profile, environment } = slot;
    const { cache, log } = this.parts;
    const generation = cache.generation(slot.key);
    const known = await cache.newest(slot);
    if (!known?.refreshToken) {
      throw new TokenRequestError(
        'invalid-grant',
        `The browser sign-in of "${profile.name}" has no refresh token: run "Fortellis: Sign In with Browser" to sign in again.`,
      );
    }
    const adopted = await this.leaseOrAdopt(slot, known);
    if (adopted) {
      return adopted;
    }
    try {
      const current = (await cache.newest(slot)) ?? known;
      if (current.receivedAt > known.receivedAt && isUsable(current, this.now())) {
        return current;
      }
      const secret = await this.slotSecret(slot);
      const sent = current.refreshToken ?? known.refreshToken;
      log.info(`POST ${environment.issuer}/v1/token grant_type=refresh_token (profile "${profile.name}")`);
      let token: IssuedToken;
      try {
        const grants = await this.parts.grants();
        token = cache.accept(await grants.requestRefreshToken(environment.issuer, { apiKey: profile.apiKey, apiSecret: secret }, sent, this.requestOptions()));
      } catch (error) {
        log.error(`Refreshing the user token of "${profile.name}" failed: ${describeFailure(error)}`);
        if (!(error instanceof TokenRequestError && error.kind === 'invalid-grant')) {
          throw error;
        }
        const now = await cache.readStored(slot.key);
        if (now?.refreshToken && now.refreshToken !== sent) {
          // Another window refreshed first and rotated the refresh token: its token is the current one.
          log.info(`Another window renewed the user token of "${profile.name}" first: using its token.`);
          await cache.adopt(slot.key, now);
          return now;
        }
        if (now?.refreshToken === sent) {
          await cache.write(slot, { ...now, refreshToken: undefined });
        }
        throw new TokenRequestError(
          'invalid-grant',
          `The browser sign-in of "${profile.name}" can no longer be renewed: its refresh token expired or was revoked. Run "Fortellis: Sign In with Browser" to sign in again.`,
          error.details,
        );
      }
      const stored = await cache.readStored(slot.key);
      if (cache.generation(slot.key) !== generation || !stored) {
        throw new SignedOutDuringRequestError(profile.name, 'user');
      }
      if (stored.refreshToken && stored.refreshToken !== sent && stored.receivedAt > token.receivedAt) {
        await cache.adopt(slot.key, stored);
        return stored;
      }
      await cache.write(slot, token);
      log.info(`User token for "${profile.name}" refreshed: expires ${isoTime(token.expiresAt)}.`);
      return token;
    } finally {
      await this.parts.lease.release(slot.key).catch((error: unknown) => log.warn(`Could not release the renewal lease: ${describeFailure(error)}`));
    }
  }

  /**
   * Takes the lease for a refresh, or waits while another window holds it and returns that window's new token once
   * the store has it. undefined: this window holds the lease now.
   */
  private async leaseOrAdopt(slot: Slot, known: IssuedToken): Promise<IssuedToken | undefined> {
    for (;;) {
      if (await this.parts.lease.take(slot.key)) {
        return undefined;
      }
      const stored = await this.parts.cache.readStored(slot.key);
      if (stored && stored.receivedAt > known.receivedAt) {
        await this.parts.cache.adopt(slot.key, stored);
        return stored;
      }
      if (this.closed) {
        throw new WindowClosingError('the user token was not renewed.');
      }
      await delay(this.parts.clock, LEASE_POLL_MS);
    }
  }

  private requestOptions(): TokenRequests.TokenRequestOptions {
    const { timeoutMs, proxy } = this.parts.settings.http();
    return {
      timeoutMs,
      maxAttempts: MAX_ATTEMPTS,
      proxy,
      now: () => this.now(),
      sleep: this.parts.sleep,
      onRetry: (message) => this.parts.log.warn(message),
    };
  }

  private now(): number {
    return this.parts.clock.now();
  }
}
