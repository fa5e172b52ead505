/**
 * The one owner of every token and every grant, and of the API secret (it never leaves core except in the Basic header
 * to the issuer it was entered for): a facade over the credential store, the token cache, the token source, the
 * cross-window lease, the renewal scheduler, the active profile and pinned sign-ins. Free of VS Code: the store, clock,
 * settings, log and HTTP grants are injected.
 */
import type { Environment } from '../profiles/environments';
import type { Profile } from '../profiles/profiles';
import { type ActiveState, ActiveProfile } from './activeState';
import { CredentialStore } from './credentialStore';
import type { LifecycleDependencies } from './lifecycleDependencies';
import { type PinnedSignIn, pinSignIn } from './pinnedSignIn';
import { RenewalLease } from './renewalLease';
import { RenewalScheduler } from './renewalScheduler';
import type { IssuedToken } from './token';
import { TokenCache } from './tokenCache';
import { CredentialsNotMovableError, MissingSecretError } from './tokenErrors';
import { type Slot, type Subject, slotOf } from './tokenSlot';
import { longestRequestMs, TokenSource } from './tokenSource';

export type { ActiveState } from './activeState';
export type { LifecycleDependencies, LifecycleLog, LifecycleSettings, SecretStore, TokenGrants } from './lifecycleDependencies';
export type { PinnedSignIn } from './pinnedSignIn';
export { MissingSecretError, SignInProfileChangedError } from './tokenErrors';

export class TokenLifecycle {
  /** The parts, for tests that look at one of them (the cache holds what each window serves). */
  readonly cache: TokenCache;
  private readonly credentials: CredentialStore;
  private readonly lease: RenewalLease;
  private readonly source: TokenSource;
  private readonly renewal: RenewalScheduler;
  private readonly active: ActiveProfile;
  private readonly tokenListeners = new Set<() => void>();

  constructor(private readonly deps: LifecycleDependencies) {
    const { store, clock, settings, log, redactor } = deps;
    this.cache = new TokenCache(store, clock, redactor, log, {
      changed: (key, written) => this.changed(key, written),
      loaded: (key) => this.renewal.tokenLoaded(key),
    });
    this.credentials = new CredentialStore(store, (profile) => settings.environment(profile));
    this.lease = new RenewalLease(store, clock, () => longestRequestMs(settings.http().timeoutMs));
    this.source = new TokenSource({ ...deps, cache: this.cache, credentials: this.credentials, lease: this.lease });
    const [jitter, wakeCheckMs] = [(deps.random ?? Math.random)(), deps.wakeCheckMs ?? 5_000];
    const onClockJump = () => this.active.publish();
    this.renewal = new RenewalScheduler({ ...deps, cache: this.cache, source: this.source, lease: this.lease, jitter, wakeCheckMs, onClockJump });
    this.active = new ActiveProfile(this.cache, settings);
  }

  /** The active profile, its tokens or the renewal settings changed, or the clock jumped. */
  onDidChangeActiveState(listener: (state: ActiveState) => void): { dispose(): void } {
    return this.active.onDidChange(listener);
  }

  /** Any profile's token changed (sessions of every profile follow this). */
  onDidChangeTokens(listener: () => void): { dispose(): void } {
    this.tokenListeners.add(listener);
    return { dispose: () => this.tokenListeners.delete(listener) };
  }

  get activeState(): ActiveState {
    return this.active.state;
  }

  environment(profile: Profile): Environment {
    return this.deps.settings.environment(profile);
  }

  /** A usable app token: cached (here or by another window), else requested with the stored secret. */
  appToken(profile: Profile): Promise<IssuedToken> {
    return this.source.usableOrRequested(this.slot(profile, 'app'));
  }

  /** The cached app token if it is still usable, without any request. */
  usableAppToken(profile: Profile): Promise<IssuedToken | undefined> {
    return this.cache.usable(this.slot(profile, 'app'));
  }

  /** A new app token now, as the user asked. On failure the current one stays. */
  renewAppToken(profile: Profile): Promise<IssuedToken> {
    return this.source.request(this.slot(profile, 'app'));
  }

  hasSecret(profile: Profile): Promise<boolean> {
    return Promise.resolve(this.credentials.get(profile)).then((secret) => secret !== undefined);
  }

  /** A token requested with a secret the user just entered; nothing is stored. */
  async verifyCredentials(profile: Profile, apiSecret: string): Promise<IssuedToken> {
    this.deps.redactor.add(apiSecret);
    return this.source.clientCredentials(this.slot(profile, 'app'), apiSecret);
  }

  /** Stores the secret, and the token it was verified with (or forgets the old one). */
  async saveCredentials(profile: Profile, apiSecret: string, token: IssuedToken | undefined): Promise<void> {
    this.deps.redactor.add(apiSecret);
    await this.credentials.set(profile, apiSecret);
    await (token ? this.cache.write(this.slot(profile, 'app'), token) : this.cache.remove(this.slot(profile, 'app')));
  }

  /** The edit moved the credentials to another key (name, issuer or API key changed). */
  credentialsMoved(before: Profile, after: Profile): boolean {
    return this.credentials.key(before) !== this.credentials.key(after);
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
      throw new CredentialsNotMovableError(before.name);
    }
    if (!this.credentialsMoved(before, after)) {
      return;
    }
    const secret = await this.credentials.get(before);
    if (secret === undefined) {
      throw new MissingSecretError(before);
    }
    await this.credentials.set(after, secret);
    for (const subject of ['app', 'user'] as const) {
      const token = await this.cache.latest(this.slot(before, subject));
      if (token) {
        await this.cache.write(this.slot(after, subject), token);
      }
    }
    await this.signOut(before);
  }

  /** Forgets the profile's secret and its tokens, the signed-in user's included. */
  async signOut(profile: Profile): Promise<void> {
    await this.credentials.delete(profile);
    await this.cache.remove(this.slot(profile, 'app'));
    await this.cache.remove(this.slot(profile, 'user'));
    this.deps.log.info(`Signed out of profile "${profile.name}": its API secret and cached tokens were deleted.`);
  }

  /** The browser user's token (with its refresh token) as cached, expired or not, without any request. */
  userToken(profile: Profile): Promise<IssuedToken | undefined> {
    return this.cache.latest(this.slot(profile, 'user'));
  }

  /** A usable user token: the cached one, or a refreshed one. Throws when there is neither. */
  freshUserToken(profile: Profile): Promise<IssuedToken> {
    return this.source.usableOrRequested(this.slot(profile, 'user'));
  }

  /** A new user token from the refresh token now; on failure the current one stays. */
  renewUserToken(profile: Profile): Promise<IssuedToken> {
    return this.source.request(this.slot(profile, 'user'));
  }

  async forgetUser(profile: Profile): Promise<void> {
    await this.cache.remove(this.slot(profile, 'user'));
    this.deps.log.info(`Signed the browser user of profile "${profile.name}" out: the user token was deleted.`);
  }

  /** Binds a browser sign-in to the profile's issuer, API key and secret as they are now (see pinnedSignIn.ts). */
  beginSignIn(profile: Profile): Promise<PinnedSignIn> {
    return pinSignIn(profile, { ...this.deps, credentials: this.credentials, source: this.source, cache: this.cache });
  }

  /** Which profile the status bar and the commands use: its tokens are kept fresh, no other profile's. */
  async setActiveProfile(profile: Profile | undefined): Promise<void> {
    if (this.active.select(profile)) {
      this.renewal.follow(profile ? [this.slot(profile, 'app'), this.slot(profile, 'user')] : []);
    }
    await this.active.publish();
  }

  /** The renewal settings changed: reschedule with the new ones. */
  async settingsChanged(): Promise<void> {
    this.renewal.rescheduleAll();
    await this.active.publish();
  }

  /** The shared store changed, possibly in another window. */
  storeChanged(storeKey: string): Promise<void> {
    return this.cache.storeChanged(storeKey);
  }

  dispose(): void {
    [this.source, this.lease, this.renewal, this.active].forEach((part) => part.dispose());
    this.tokenListeners.clear();
  }

  /** A slot's token changed: renewal reschedules, every listener hears, and the active state follows its own. */
  private async changed(key: string, written: boolean): Promise<void> {
    this.renewal.tokenChanged(key, written);
    this.tokenListeners.forEach((listener) => listener());
    if (this.active.holds(key)) {
      await this.active.publish();
    }
  }

  private slot(profile: Profile, subject: Subject): Slot {
    return slotOf(this.deps.settings, profile, subject);
  }
}
