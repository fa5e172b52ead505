/**
 * The one owner of every token and every grant: client credentials, the sign-in's code exchange and implicit result,
 * and refresh. It keeps the API secret (it never leaves this module except in the Basic header to the issuer it was
 * entered for), caches tokens in memory and in the shared store (SecretStorage in VS Code, shared by every window),
 * renews the active profile's tokens before they expire, and tells its listeners what the active profile holds.
 * Free of VS Code: the store, clock, settings, log and HTTP grants are injected.
 */
import { randomUUID } from 'node:crypto';
import type { Environment } from '../profiles/environments';
import { clientCredentialsCacheKey, credentialKey, type Profile, userCacheKey } from '../profiles/profiles';
import type { TokensCallback } from '../signIn/signInCallback';
import type { Redactor } from '../text/redaction';
import type { Clock, Timer } from './clock';
import { type RenewalPolicy, renewalDueAt } from './renewalSchedule';
import { type IssuedToken, isUsable, MAX_LIFETIME_SECONDS } from './token';
import { TokenRequestError } from './tokenErrors';
import type * as TokenRequests from './tokenRequests';

/** Where secrets and tokens outlive the window; every window shares it and hears of each other's changes. */
export interface SecretStore {
  get(key: string): Thenable<string | undefined>;
  store(key: string, value: string): Thenable<void>;
  delete(key: string): Thenable<void>;
}

export interface LifecycleLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface LifecycleSettings {
  renewal(): RenewalPolicy;
  http(): { readonly timeoutMs: number; readonly proxy: string | undefined };
  environment(profile: Profile): Environment;
  /** The profile as the settings hold it now (a sign-in checks that it was not edited meanwhile). */
  profileNamed(name: string): Profile | undefined;
}

/** The token requests, loaded on the first one (node-fetch costs activation nothing). */
export type TokenGrants = Pick<
  typeof TokenRequests,
  'requestClientCredentialsToken' | 'requestRefreshToken' | 'requestAuthorizationCodeToken' | 'issuedTokenFromCallback'
>;

export interface LifecycleDependencies {
  readonly store: SecretStore;
  readonly clock: Clock;
  readonly settings: LifecycleSettings;
  readonly log: LifecycleLog;
  readonly redactor: Redactor;
  readonly grants: () => Promise<TokenGrants>;
  /** This window's jitter draw, in [0, 1). Default Math.random. */
  readonly random?: () => number;
  /** How often the wall clock is checked for a jump (a laptop waking up). Default 5 s. */
  readonly wakeCheckMs?: number;
  /** Waits between token-request attempts (tests pass a fake one). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What the active profile holds: what the status bar, terminals, token files and sessions follow. */
export interface ActiveState {
  readonly profile: Profile | undefined;
  readonly environment: Environment | undefined;
  readonly appToken: IssuedToken | undefined;
  /** The browser-signed-in user's token, with its refresh token when there is one. */
  readonly userToken: IssuedToken | undefined;
  readonly renewal: RenewalPolicy;
}

/** A profile's API secret is not in the store (new window after sign-out, profile from settings sync). */
export class MissingSecretError extends Error {
  constructor(readonly profile: Profile) {
    super(`No API secret is stored for profile "${profile.name}". Enter it to get a token.`);
    this.name = 'MissingSecretError';
  }
}

/** The profile changed while a sign-in waited: its code and secret are not sent anywhere. */
export class SignInProfileChangedError extends Error {
  constructor(name: string, what: string) {
    super(`Profile "${name}" ${what} while the sign-in waited, so the sign-in was stopped and nothing was sent. Sign in again.`);
    this.name = 'SignInProfileChangedError';
  }
}

/** A sign-in bound, when it starts, to one issuer, client and secret. */
export interface PinnedSignIn {
  readonly issuer: string;
  readonly clientId: string;
  exchangeCode(code: string, redirectUri: string, codeVerifier: string | undefined): Promise<IssuedToken>;
  implicitTokens(callback: TokensCallback): Promise<IssuedToken>;
  /** Keeps the user token for the profile (checked against the pin once more). */
  save(token: IssuedToken): Promise<IssuedToken>;
}

type Subject = 'app' | 'user';

interface Slot {
  readonly key: string;
  readonly subject: Subject;
  readonly profile: Profile;
  readonly environment: Environment;
}

interface Freshness {
  readonly slot: Slot;
  timer?: Timer;
  failures: number;
  /** When the last renewal failed, in elapsed time (Clock.elapsed): backoff is not stretched by clock changes. */
  lastFailureElapsed?: number;
  running: boolean;
}

/** Client-credentials requests: up to 3 attempts for transient failures. */
const MAX_ATTEMPTS = 3;
/** The token client waits at most 10 s between attempts. */
const MAX_RETRY_WAITS_MS = (MAX_ATTEMPTS - 1) * 10_000;
/** A lease outlives the longest token request: every attempt timing out, plus the waits between attempts. */
const LEASE_MARGIN_MS = 30_000;
/** How often a window waiting for another window's refresh looks at the store. */
const LEASE_POLL_MS = 1_000;
/** Between writing the lease and reading it back: another window's write in that time wins. */
const LEASE_SETTLE_MS = 500;
const TOKEN_PREFIX = 'token:';
const LEASE_PREFIX = 'lease:';

export class TokenLifecycle {
  private readonly memory = new Map<string, IssuedToken>();
  private readonly inFlight = new Map<string, Promise<IssuedToken>>();
  /** When this window last asked for each slot's token, in elapsed time (Clock.elapsed). */
  private readonly lastRequestElapsed = new Map<string, number>();
  private readonly fresh = new Map<string, Freshness>();
  private readonly stateListeners = new Set<(state: ActiveState) => void>();
  private readonly tokenListeners = new Set<() => void>();
  private readonly windowId = randomUUID();
  private readonly jitter: number;
  private active: { profile: Profile; environment: Environment } | undefined;
  private latest: ActiveState;
  private wakeTimer: Timer | undefined;
  /** Bumped by every sign-out or forget of a slot: a request that started before it must not write its token back. */
  private readonly generations = new Map<string, number>();
  private publishes = 0;
  private lastWakeCheck: { wall: number; elapsed: number } | undefined;
  private disposed = false;

  constructor(private readonly deps: LifecycleDependencies) {
    this.jitter = (deps.random ?? Math.random)();
    this.latest = { profile: undefined, environment: undefined, appToken: undefined, userToken: undefined, renewal: deps.settings.renewal() };
  }

  // ——— Listeners ———

  /** The active profile, its tokens or the renewal settings changed, or the clock jumped. */
  onDidChangeActiveState(listener: (state: ActiveState) => void): { dispose(): void } {
    this.stateListeners.add(listener);
    return { dispose: () => this.stateListeners.delete(listener) };
  }

  /** Any profile's token changed (sessions of every profile follow this). */
  onDidChangeTokens(listener: () => void): { dispose(): void } {
    this.tokenListeners.add(listener);
    return { dispose: () => this.tokenListeners.delete(listener) };
  }

  get activeState(): ActiveState {
    return this.latest;
  }

  environment(profile: Profile): Environment {
    return this.deps.settings.environment(profile);
  }

  // ——— The app's client-credentials token ———

  /** A usable token: cached (here or by another window), else requested with the stored secret. */
  async appToken(profile: Profile): Promise<IssuedToken> {
    const slot = this.slot(profile, 'app');
    const cached = await this.latestOf(slot);
    return cached && isUsable(cached, this.now()) ? cached : this.request(slot);
  }

  /** The cached token if it is still usable, without any request. */
  async usableAppToken(profile: Profile): Promise<IssuedToken | undefined> {
    const cached = await this.latestOf(this.slot(profile, 'app'));
    return cached && isUsable(cached, this.now()) ? cached : undefined;
  }

  /** The latest token, expired or not, without any request. */
  peekAppToken(profile: Profile): Promise<IssuedToken | undefined> {
    return this.latestOf(this.slot(profile, 'app'));
  }

  /** A new token now, as the user asked. On failure the current one stays. */
  renewAppToken(profile: Profile): Promise<IssuedToken> {
    return this.request(this.slot(profile, 'app'));
  }

  // ——— Credentials ———

  hasSecret(profile: Profile): Promise<boolean> {
    return Promise.resolve(this.deps.store.get(this.secretKey(profile))).then((secret) => secret !== undefined);
  }

  /** A token requested with a secret the user just entered; nothing is stored. */
  async verifyCredentials(profile: Profile, apiSecret: string): Promise<IssuedToken> {
    this.deps.redactor.add(apiSecret);
    return this.clientCredentials(this.slot(profile, 'app'), apiSecret);
  }

  /** Stores the secret, and the token it was verified with (or forgets the old one). */
  async saveCredentials(profile: Profile, apiSecret: string, token: IssuedToken | undefined): Promise<void> {
    this.deps.redactor.add(apiSecret);
    await this.deps.store.store(this.secretKey(profile), apiSecret);
    const slot = this.slot(profile, 'app');
    if (token) {
      await this.write(slot, token);
    } else {
      await this.remove(slot);
    }
  }

  /** The edit moved the credentials to another key (name, issuer or API key changed). */
  credentialsMoved(before: Profile, after: Profile): boolean {
    return this.secretKey(before) !== this.secretKey(after);
  }

  /** Whether a secret entered for `before` may be used for `after`: the same issuer and the same API key. */
  sameIssuerAndKey(before: Profile, after: Profile): boolean {
    return this.environment(before).issuer === this.environment(after).issuer && before.apiKey === after.apiKey;
  }

  /**
   * Keeps the stored secret and tokens for an edited profile whose issuer and API key did not change (a new name,
   * Subscription-Id or callback mode). Refuses any other edit: the secret was entered for that issuer and client only.
   */
  async moveCredentials(before: Profile, after: Profile): Promise<void> {
    if (!this.sameIssuerAndKey(before, after)) {
      throw new Error(`The issuer or API key of "${before.name}" changed: enter the API secret for the new one.`);
    }
    if (this.secretKey(before) === this.secretKey(after)) {
      return;
    }
    const secret = await this.deps.store.get(this.secretKey(before));
    if (secret === undefined) {
      throw new MissingSecretError(before);
    }
    await this.deps.store.store(this.secretKey(after), secret);
    for (const subject of ['app', 'user'] as const) {
      const token = await this.latestOf(this.slot(before, subject));
      if (token) {
        await this.write(this.slot(after, subject), token);
      }
    }
    await this.signOut(before);
  }

  /** Forgets the profile's secret and its tokens, the signed-in user's included. */
  async signOut(profile: Profile): Promise<void> {
    await this.deps.store.delete(this.secretKey(profile));
    await this.remove(this.slot(profile, 'app'));
    await this.remove(this.slot(profile, 'user'));
    this.deps.log.info(`Signed out of profile "${profile.name}": its API secret and cached tokens were deleted.`);
  }

  // ——— The browser-signed-in user's token ———

  /** The user's token (with its refresh token), expired or not. */
  userToken(profile: Profile): Promise<IssuedToken | undefined> {
    return this.latestOf(this.slot(profile, 'user'));
  }

  /** A usable user token: the cached one, or a refreshed one. Throws when there is neither. */
  async freshUserToken(profile: Profile): Promise<IssuedToken> {
    const slot = this.slot(profile, 'user');
    const cached = await this.latestOf(slot);
    return cached && isUsable(cached, this.now()) ? cached : this.request(slot);
  }

  /** A new user token from the refresh token now; on failure the current one stays. */
  renewUserToken(profile: Profile): Promise<IssuedToken> {
    return this.request(this.slot(profile, 'user'));
  }

  async forgetUser(profile: Profile): Promise<void> {
    await this.remove(this.slot(profile, 'user'));
    this.deps.log.info(`Signed the browser user of profile "${profile.name}" out: the user token was deleted.`);
  }

  /**
   * Binds a browser sign-in to the profile's issuer, API key and secret as they are now. If the profile is edited
   * before the callback arrives, the exchange stops with a message instead of sending the code and the secret to
   * wherever the profile points then.
   */
  async beginSignIn(profile: Profile): Promise<PinnedSignIn> {
    const environment = this.environment(profile);
    const secretKey = this.secretKey(profile);
    const apiSecret = await this.deps.store.get(secretKey);
    if (apiSecret === undefined) {
      throw new MissingSecretError(profile);
    }
    this.deps.redactor.add(apiSecret);
    const pinned = { profile, environment, apiSecret };
    const checkPin = (): Slot => {
      const now = this.deps.settings.profileNamed(profile.name);
      if (!now) {
        throw new SignInProfileChangedError(profile.name, 'was removed');
      }
      const nowEnvironment = this.environment(now);
      if (nowEnvironment.issuer !== environment.issuer || now.apiKey !== profile.apiKey) {
        throw new SignInProfileChangedError(profile.name, `was edited (issuer or API key changed; the sign-in began with ${environment.issuer})`);
      }
      return { key: userCacheKey(profile, environment), subject: 'user', profile: now, environment };
    };
    return {
      issuer: environment.issuer,
      clientId: profile.apiKey,
      exchangeCode: async (code, redirectUri, codeVerifier) => {
        checkPin();
        this.deps.redactor.add(code);
        const grants = await this.deps.grants();
        this.deps.log.info(`POST ${environment.issuer}/v1/token grant_type=authorization_code (profile "${profile.name}")`);
        // Fortellis codes die 60 s after they are issued: exchanged at once, never retried.
        const token = await grants.requestAuthorizationCodeToken(
          environment.issuer,
          { apiKey: profile.apiKey, apiSecret: pinned.apiSecret },
          { code, redirectUri, codeVerifier },
          this.requestOptions(),
        );
        return this.accept(token);
      },
      implicitTokens: async (callback) => {
        checkPin();
        const grants = await this.deps.grants();
        return this.accept(grants.issuedTokenFromCallback(environment.issuer, callback, this.now()));
      },
      save: async (token) => {
        const slot = checkPin();
        if ((await this.deps.store.get(secretKey)) !== pinned.apiSecret) {
          throw new SignInProfileChangedError(profile.name, 'was signed out or got another API secret');
        }
        const accepted = this.accept(token);
        await this.write(slot, accepted);
        return accepted;
      },
    };
  }

  // ——— The active profile ———

  /** Which profile the status bar and the commands use: its tokens are kept fresh, no other profile's. */
  async setActiveProfile(profile: Profile | undefined): Promise<void> {
    const environment = profile && this.environment(profile);
    const before = this.active && JSON.stringify([this.active.profile, this.active.environment]);
    const after = profile && JSON.stringify([profile, environment]);
    if (before !== after) {
      this.active = profile && environment && { profile, environment };
      this.stopKeepingFresh();
      if (profile) {
        this.keepFresh(this.slot(profile, 'app'));
        this.keepFresh(this.slot(profile, 'user'));
        this.watchWallClock();
      } else {
        this.wakeTimer?.cancel();
      }
    }
    await this.publish();
  }

  /** The renewal settings changed: reschedule with the new ones. */
  async settingsChanged(): Promise<void> {
    for (const freshness of this.fresh.values()) {
      this.schedule(freshness);
    }
    await this.publish();
  }

  /** The shared store changed, possibly in another window. */
  async storeChanged(storeKey: string): Promise<void> {
    if (!storeKey.startsWith(TOKEN_PREFIX)) {
      return;
    }
    const key = storeKey.slice(TOKEN_PREFIX.length);
    const stored = await this.readStored(key);
    const current = this.memory.get(key);
    if (stored?.accessToken === current?.accessToken && stored?.refreshToken === current?.refreshToken) {
      return;
    }
    if (stored) {
      this.memory.set(key, stored);
    } else {
      this.memory.delete(key);
    }
    await this.changed(key);
  }

  dispose(): void {
    this.disposed = true;
    this.stopKeepingFresh();
    this.wakeTimer?.cancel();
    this.stateListeners.clear();
    this.tokenListeners.clear();
  }

  // ——— Requests ———

  /** Every request for a slot's token: one at a time per slot, whoever asks. */
  private request(slot: Slot): Promise<IssuedToken> {
    let pending = this.inFlight.get(slot.key);
    if (!pending) {
      pending = this.requestAndStore(slot).finally(() => this.inFlight.delete(slot.key));
      this.inFlight.set(slot.key, pending);
    }
    return pending;
  }

  private async requestAndStore(slot: Slot): Promise<IssuedToken> {
    this.lastRequestElapsed.set(slot.key, this.deps.clock.elapsed());
    if (slot.subject === 'user') {
      return this.refresh(slot);
    }
    const generation = this.generation(slot.key);
    const secret = await this.slotSecret(slot);
    const token = await this.clientCredentials(slot, secret);
    // Signed out meanwhile, here or in another window: the token is not written back.
    if (this.generation(slot.key) !== generation || (await this.deps.store.get(slotSecretKey(slot))) !== secret) {
      throw new Error(`Profile "${slot.profile.name}" was signed out while its token was requested: the token was dropped.`);
    }
    await this.write(slot, token);
    return token;
  }

  /**
   * The secret entered for the slot's issuer and API key, and only that one: its key names them. The settings are
   * checked once more, so a request never goes out for a slot whose issuer the settings no longer name.
   */
  private async slotSecret(slot: Slot): Promise<string> {
    if (this.disposed) {
      throw new Error('The window is closing: no token was requested.');
    }
    if (this.environment(slot.profile).issuer !== slot.environment.issuer) {
      throw new Error(`The issuer of "${slot.profile.name}" changed: nothing was sent. Try again.`);
    }
    const secret = await this.deps.store.get(slotSecretKey(slot));
    if (secret === undefined) {
      throw new MissingSecretError(slot.profile);
    }
    this.deps.redactor.add(secret);
    return secret;
  }

  private generation(key: string): number {
    return this.generations.get(key) ?? 0;
  }

  private async clientCredentials(slot: Slot, apiSecret: string): Promise<IssuedToken> {
    const { profile, environment } = slot;
    const started = this.now();
    this.deps.log.info(`POST ${environment.issuer}/v1/token grant_type=client_credentials scope=anonymous (profile "${profile.name}", key ${profile.apiKey})`);
    try {
      const grants = await this.deps.grants();
      const token = this.accept(await grants.requestClientCredentialsToken(environment.issuer, { apiKey: profile.apiKey, apiSecret }, this.requestOptions()));
      this.deps.log.info(
        `Token for "${profile.name}" received in ${this.now() - started} ms: ${token.tokenType}, scope ${token.scope ?? '(none)'}, expires ${isoTime(token.expiresAt)}.`,
      );
      return token;
    } catch (error) {
      this.deps.log.error(`Token request for "${profile.name}" failed after ${this.now() - started} ms: ${describe(error)}`);
      throw error;
    }
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
    const generation = this.generation(slot.key);
    const known = await this.newestUserToken(slot);
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
      const current = (await this.newestUserToken(slot)) ?? known;
      if (current.receivedAt > known.receivedAt && isUsable(current, this.now())) {
        return current;
      }
      const secret = await this.slotSecret(slot);
      const sent = current.refreshToken ?? known.refreshToken;
      this.deps.log.info(`POST ${environment.issuer}/v1/token grant_type=refresh_token (profile "${profile.name}")`);
      let token: IssuedToken;
      try {
        const grants = await this.deps.grants();
        token = this.accept(await grants.requestRefreshToken(environment.issuer, { apiKey: profile.apiKey, apiSecret: secret }, sent, this.requestOptions()));
      } catch (error) {
        this.deps.log.error(`Refreshing the user token of "${profile.name}" failed: ${describe(error)}`);
        if (!(error instanceof TokenRequestError && error.kind === 'invalid-grant')) {
          throw error;
        }
        const now = await this.readStored(slot.key);
        if (now?.refreshToken && now.refreshToken !== sent) {
          // Another window refreshed first and rotated the refresh token: its token is the current one.
          this.deps.log.info(`Another window renewed the user token of "${profile.name}" first: using its token.`);
          await this.adopt(slot.key, now);
          return now;
        }
        if (now?.refreshToken === sent) {
          await this.write(slot, withoutRefreshToken(now));
        }
        throw new TokenRequestError(
          'invalid-grant',
          `The browser sign-in of "${profile.name}" can no longer be renewed: its refresh token expired or was revoked. Run "Fortellis: Sign In with Browser" to sign in again.`,
          error.details,
        );
      }
      const stored = await this.readStored(slot.key);
      if (this.generation(slot.key) !== generation || !stored) {
        throw new Error(`The browser user of "${profile.name}" was signed out while the token was renewed: the new token was dropped.`);
      }
      if (stored.refreshToken && stored.refreshToken !== sent && stored.receivedAt > token.receivedAt) {
        await this.adopt(slot.key, stored);
        return stored;
      }
      await this.write(slot, token);
      this.deps.log.info(`User token for "${profile.name}" refreshed: expires ${isoTime(token.expiresAt)}.`);
      return token;
    } finally {
      await this.releaseLease(slot.key).catch((error: unknown) => this.deps.log.warn(`Could not release the renewal lease: ${describe(error)}`));
    }
  }

  /** The newer of this window's user token and the store's (a store write may have failed; another window may have renewed). */
  private async newestUserToken(slot: Slot): Promise<IssuedToken | undefined> {
    const inMemory = this.memory.get(slot.key);
    const stored = await this.readStored(slot.key);
    return stored && (!inMemory || stored.receivedAt >= inMemory.receivedAt) ? stored : inMemory;
  }

  /**
   * Takes the lease for a refresh, or waits while another window holds it and returns that window's new token once
   * the store has it. undefined: this window holds the lease now.
   */
  private async leaseOrAdopt(slot: Slot, known: IssuedToken): Promise<IssuedToken | undefined> {
    for (;;) {
      if (await this.takeLease(slot.key)) {
        return undefined;
      }
      const stored = await this.readStored(slot.key);
      if (stored && stored.receivedAt > known.receivedAt) {
        await this.adopt(slot.key, stored);
        return stored;
      }
      if (this.disposed) {
        throw new Error('The window is closing: the user token was not renewed.');
      }
      await this.wait(LEASE_POLL_MS);
    }
  }

  private async adopt(key: string, token: IssuedToken): Promise<void> {
    if (this.memory.get(key)?.accessToken !== token.accessToken) {
      this.memory.set(key, token);
      await this.changed(key);
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => this.deps.clock.setTimeout(resolve, ms));
  }

  private requestOptions(): TokenRequests.TokenRequestOptions {
    const { timeoutMs, proxy } = this.deps.settings.http();
    return {
      timeoutMs,
      maxAttempts: MAX_ATTEMPTS,
      proxy,
      now: () => this.now(),
      sleep: this.deps.sleep,
      onRetry: (message) => this.deps.log.warn(message),
    };
  }

  /** Every token that enters: redacted from then on, and its lifetime capped at 24 h. */
  private accept(token: IssuedToken): IssuedToken {
    this.deps.redactor.add(token.accessToken, token.refreshToken, token.idToken);
    const lifetime = token.expiresAt - token.receivedAt;
    if (lifetime > MAX_LIFETIME_SECONDS * 1000) {
      this.deps.log.warn(
        `The server said the token lives ${Math.round(lifetime / 1000)} s; it is treated as living ${MAX_LIFETIME_SECONDS} s (24 h), the most the extension believes, so it is still renewed.`,
      );
      return { ...token, expiresAt: token.receivedAt + MAX_LIFETIME_SECONDS * 1000 };
    }
    return token;
  }

  // ——— The cache ———

  /** The slot's token from memory, else from the store; the store's when it is newer (another window renewed). */
  private async latestOf(slot: Slot): Promise<IssuedToken | undefined> {
    const inMemory = this.memory.get(slot.key);
    if (inMemory && isUsable(inMemory, this.now())) {
      return inMemory;
    }
    const stored = await this.readStored(slot.key);
    if (stored && (!inMemory || stored.receivedAt >= inMemory.receivedAt)) {
      if (stored.accessToken !== inMemory?.accessToken) {
        this.memory.set(slot.key, stored);
        await this.changed(slot.key);
      }
      return stored;
    }
    return inMemory;
  }

  private async write(slot: Slot, token: IssuedToken): Promise<void> {
    this.memory.set(slot.key, token);
    try {
      await this.deps.store.store(TOKEN_PREFIX + slot.key, JSON.stringify(token));
    } catch (error) {
      // The token is still good in this window; the next write stores it again.
      this.deps.log.error(`Could not store the token of "${slot.profile.name}" in the secret storage: ${describe(error)}`);
    }
    const freshness = this.fresh.get(slot.key);
    if (freshness) {
      freshness.failures = 0;
      freshness.lastFailureElapsed = undefined;
    }
    await this.changed(slot.key);
  }

  private async remove(slot: Slot): Promise<void> {
    this.generations.set(slot.key, this.generation(slot.key) + 1);
    this.memory.delete(slot.key);
    await this.deps.store.delete(TOKEN_PREFIX + slot.key);
    await this.changed(slot.key);
  }

  private async readStored(key: string): Promise<IssuedToken | undefined> {
    const token = parseStored(await this.deps.store.get(TOKEN_PREFIX + key));
    return token && this.accept(token);
  }

  private async changed(key: string): Promise<void> {
    const freshness = this.fresh.get(key);
    if (freshness) {
      this.schedule(freshness);
    }
    this.tokenListeners.forEach((listener) => listener());
    if (this.active && (key === this.slot(this.active.profile, 'app').key || key === this.slot(this.active.profile, 'user').key)) {
      await this.publish();
    }
  }

  private async publish(): Promise<void> {
    const publish = ++this.publishes;
    const active = this.active;
    const renewal = this.deps.settings.renewal();
    const [appToken, userToken] = active ? [this.memory.get(this.slot(active.profile, 'app').key), this.memory.get(this.slot(active.profile, 'user').key)] : [];
    const loaded = active
      ? await Promise.all([appToken ?? this.loadStored(this.slot(active.profile, 'app')), userToken ?? this.loadStored(this.slot(active.profile, 'user'))])
      : [];
    if (this.disposed || active !== this.active || publish !== this.publishes) {
      return;
    }
    this.latest = { profile: active?.profile, environment: active?.environment, appToken: loaded[0], userToken: loaded[1], renewal };
    this.stateListeners.forEach((listener) => listener(this.latest));
  }

  private async loadStored(slot: Slot): Promise<IssuedToken | undefined> {
    const stored = await this.readStored(slot.key);
    if (stored && !this.memory.has(slot.key)) {
      this.memory.set(slot.key, stored);
      const freshness = this.fresh.get(slot.key);
      if (freshness && !freshness.timer) {
        this.schedule(freshness);
      }
    }
    return this.memory.get(slot.key);
  }

  // ——— Renewal ———

  private keepFresh(slot: Slot): void {
    const freshness: Freshness = { slot, failures: 0, running: false };
    this.fresh.set(slot.key, freshness);
    this.schedule(freshness);
  }

  private stopKeepingFresh(): void {
    for (const freshness of this.fresh.values()) {
      freshness.timer?.cancel();
    }
    this.fresh.clear();
  }

  private schedule(freshness: Freshness): void {
    freshness.timer?.cancel();
    freshness.timer = undefined;
    const token = this.memory.get(freshness.slot.key);
    if (this.disposed || !this.deps.settings.renewal().enabled || this.fresh.get(freshness.slot.key) !== freshness || !token) {
      return;
    }
    if (freshness.slot.subject === 'user' && !token.refreshToken) {
      return;
    }
    const due = this.dueAt(freshness, token);
    freshness.timer = this.deps.clock.setTimeout(() => void this.renewInBackground(freshness), due - this.now());
  }

  private dueAt(freshness: Freshness, token: IssuedToken): number {
    const now = this.now();
    const elapsed = this.deps.clock.elapsed();
    const since = (at: number | undefined) => (at === undefined ? undefined : elapsed - at);
    return renewalDueAt({
      token,
      now,
      beforeExpiryMs: this.deps.settings.renewal().beforeExpiryMs,
      sinceLastRequestMs: since(this.lastRequestElapsed.get(freshness.slot.key)),
      jitter: this.jitter,
      failures: freshness.failures,
      sinceLastFailureMs: since(freshness.lastFailureElapsed),
    });
  }

  /** Never rejects: a failure is logged and the next attempt scheduled. */
  private async renewInBackground(freshness: Freshness): Promise<void> {
    const { slot } = freshness;
    if (freshness.running || this.fresh.get(slot.key) !== freshness || this.disposed) {
      return;
    }
    freshness.running = true;
    let leased = false;
    try {
      // Another window may have renewed already: its token is in the store.
      const current = await this.latestOf(slot);
      if (!current || this.now() < this.dueAt(freshness, current) || this.disposed) {
        return;
      }
      if (slot.subject === 'user') {
        // A refresh takes (or waits for) the lease itself, as every refresh does.
        await this.request(slot);
        return;
      }
      leased = await this.takeLease(slot.key);
      if (!leased) {
        // Another window is renewing this token; its result reaches this one through the store.
        freshness.lastFailureElapsed = this.deps.clock.elapsed();
        freshness.failures = Math.max(freshness.failures, 1);
        return;
      }
      const again = await this.latestOf(slot);
      if ((again && this.now() < this.dueAt(freshness, again)) || this.disposed) {
        return;
      }
      await this.request(slot);
    } catch (error) {
      freshness.failures++;
      freshness.lastFailureElapsed = this.deps.clock.elapsed();
      const token = this.memory.get(slot.key);
      const next = token && this.dueAt(freshness, token);
      this.deps.log.warn(
        `Renewing the ${slot.subject === 'user' ? 'user ' : ''}token of "${slot.profile.name}" failed: ${describe(error)} ${
          token && next !== undefined && next < token.expiresAt
            ? `Next attempt at ${isoTime(next)}; the current token is still served.`
            : `Next attempt at ${next === undefined ? 'the next request' : isoTime(next)}.`
        }`,
      );
    } finally {
      freshness.running = false;
      this.schedule(freshness);
      if (leased) {
        await this.releaseLease(slot.key).catch((error: unknown) => this.deps.log.warn(`Could not release the renewal lease: ${describe(error)}`));
      }
    }
  }

  /** Best effort across windows: the store has no compare-and-set, so a lease is written, then read back later. */
  private async takeLease(key: string): Promise<boolean> {
    const leaseKey = LEASE_PREFIX + key;
    const existing = parseLease(await this.deps.store.get(leaseKey));
    if (existing && existing.owner !== this.windowId && this.leaseRunning(existing.until)) {
      return false;
    }
    await this.deps.store.store(leaseKey, JSON.stringify({ owner: this.windowId, until: this.now() + this.leaseMs() }));
    await this.wait(LEASE_SETTLE_MS);
    return !this.disposed && parseLease(await this.deps.store.get(leaseKey))?.owner === this.windowId;
  }

  /**
   * Whether another window's lease still runs. One that ends further ahead than any lease lasts was stamped before the
   * wall clock was set back: its window would have released it by now, so it is taken over.
   */
  private leaseRunning(until: number): boolean {
    const now = this.now();
    return until > now && until <= now + this.leaseMs();
  }

  /** Longer than the longest token request: every attempt timing out, and the waits between them. */
  private leaseMs(): number {
    return this.deps.settings.http().timeoutMs * MAX_ATTEMPTS + MAX_RETRY_WAITS_MS + LEASE_MARGIN_MS;
  }

  private async releaseLease(key: string): Promise<void> {
    const leaseKey = LEASE_PREFIX + key;
    if (parseLease(await this.deps.store.get(leaseKey))?.owner === this.windowId) {
      await this.deps.store.delete(leaseKey);
    }
  }

  /**
   * Timers run on a clock that stops while the computer sleeps; expiry is on the wall clock. A jump between the two
   * (waking up, a clock change) reschedules every renewal and republishes the state at once.
   */
  private watchWallClock(): void {
    this.wakeTimer?.cancel();
    const interval = this.deps.wakeCheckMs ?? 5_000;
    this.lastWakeCheck = { wall: this.now(), elapsed: this.deps.clock.elapsed() };
    const check = (): void => {
      const now = { wall: this.now(), elapsed: this.deps.clock.elapsed() };
      const last = this.lastWakeCheck ?? now;
      this.lastWakeCheck = now;
      // A clock change shows as the wall clock moving more or less than elapsed time; sleep shows as that, or as this
      // check firing late by the wall clock.
      const wallMoved = now.wall - last.wall;
      const changed = wallMoved - (now.elapsed - last.elapsed);
      const late = wallMoved - interval;
      const drift = Math.abs(changed) > Math.abs(late) ? changed : late;
      if (Math.abs(drift) > Math.max(2_000, interval)) {
        this.deps.log.info(`The clock jumped by ${Math.round(drift / 1000)} s (sleep or a clock change): checking the tokens now.`);
        for (const freshness of this.fresh.values()) {
          this.schedule(freshness);
        }
        this.publish().catch((error: unknown) => this.deps.log.warn(`Could not update after the clock jump: ${describe(error)}`));
      }
      if (!this.disposed && this.active) {
        this.wakeTimer = this.deps.clock.setTimeout(check, interval);
      }
    };
    this.wakeTimer = this.deps.clock.setTimeout(check, interval);
  }

  // ——— Keys ———

  private slot(profile: Profile, subject: Subject): Slot {
    const environment = this.environment(profile);
    return { key: subject === 'app' ? clientCredentialsCacheKey(profile, environment) : userCacheKey(profile, environment), subject, profile, environment };
  }

  private secretKey(profile: Profile): string {
    return credentialKey(profile, this.environment(profile));
  }

  private now(): number {
    return this.deps.clock.now();
  }
}

function slotSecretKey(slot: Slot): string {
  return credentialKey(slot.profile, slot.environment);
}

function withoutRefreshToken(token: IssuedToken): IssuedToken {
  return { ...token, refreshToken: undefined };
}

function isoTime(epochMs: number): string {
  const date = new Date(epochMs);
  return Number.isNaN(date.getTime()) ? String(epochMs) : date.toISOString();
}

function describe(error: unknown): string {
  if (error instanceof TokenRequestError) {
    return `[${error.kind}${error.details.status ? ` ${error.details.status}` : ''}] ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

function parseLease(value: string | undefined): { owner: string; until: number } | undefined {
  try {
    const lease = value ? (JSON.parse(value) as { owner?: unknown; until?: unknown }) : undefined;
    return lease && typeof lease.owner === 'string' && typeof lease.until === 'number' ? { owner: lease.owner, until: lease.until } : undefined;
  } catch {
    return undefined;
  }
}

/** A stored token, or undefined for a missing or damaged entry (the next request overwrites it). */
function parseStored(value: string | undefined): IssuedToken | undefined {
  if (!value) {
    return undefined;
  }
  try {
    const token = JSON.parse(value) as Record<string, unknown>;
    const { accessToken, expiresAt, receivedAt } = token;
    if (typeof accessToken === 'string' && isFiniteNumber(expiresAt) && isFiniteNumber(receivedAt)) {
      return {
        accessToken,
        tokenType: typeof token.tokenType === 'string' ? token.tokenType : 'Bearer',
        scope: typeof token.scope === 'string' ? token.scope : undefined,
        receivedAt,
        expiresAt,
        ...(typeof token.refreshToken === 'string' ? { refreshToken: token.refreshToken } : {}),
        ...(typeof token.idToken === 'string' ? { idToken: token.idToken } : {}),
      };
    }
  } catch {
    // A damaged entry is treated as absent.
  }
  return undefined;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
