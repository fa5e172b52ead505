/**
 * The one owner of every token, grant and API secret: a facade over parts with one job each (credential store, token
 * cache, token source, renewal lease and scheduler, active profile, profile credentials, pinned sign-in). Free of
 * VS Code: the store, clock, settings, log and HTTP grants are injected.
 */
import type { Profile } from '../profiles/profiles';
import { type ActiveState, ActiveProfile } from './activeState';
import { CredentialStore } from './credentialStore';
import type { LifecycleDependencies } from './lifecycleDependencies';
import type { PinnedSignIn } from './pinnedSignIn';
import { ProfileCredentials } from './profileCredentials';
import { RenewalLease } from './renewalLease';
import { RenewalScheduler } from './renewalScheduler';
import type { IssuedToken } from './token';
import { TokenCache } from './tokenCache';
import { type Slot, type Subject, slotOf } from './tokenSlot';
import { longestRequestMs, TokenSource } from './tokenSource';

export type { ActiveState } from './activeState';
export type { LifecycleDependencies, LifecycleLog, LifecycleSettings, SecretStore, TokenGrants } from './lifecycleDependencies';
export type { PinnedSignIn } from './pinnedSignIn';
export { MissingSecretError, SignInProfileChangedError } from './tokenErrors';

export class TokenLifecycle {
  /** What this window holds (tests read a window's tokens here). */
  readonly cache: TokenCache;
  private readonly source: TokenSource;
  private readonly renewal: RenewalScheduler;
  private readonly active: ActiveProfile;
  private readonly profiles: ProfileCredentials;
  private readonly parts: ReadonlyArray<{ dispose(): void }>;

  constructor(private readonly deps: LifecycleDependencies) {
    const { store, clock, settings } = deps;
    const cache = (this.cache = new TokenCache(deps, {
      // A change reschedules the slot's renewal first; then every listener hears, and the active state follows its own.
      changed: (key, written) => {
        this.renewal.tokenChanged(key, written);
        return this.active.tokenChanged(key);
      },
      loaded: (key) => this.renewal.tokenLoaded(key),
    }));
    const credentials = new CredentialStore(store, (profile) => settings.environment(profile));
    const lease = new RenewalLease(store, clock, () => longestRequestMs(settings.http().timeoutMs));
    const source = (this.source = new TokenSource({ ...deps, cache, credentials, lease }));
    this.renewal = new RenewalScheduler({ ...deps, cache, source, lease, onClockJump: () => this.active.publish() });
    this.active = new ActiveProfile(cache, settings);
    this.profiles = new ProfileCredentials({ ...deps, credentials, cache, source });
    this.parts = [source, lease, this.renewal, this.active];
  }

  /** The active profile, its tokens or the renewal settings changed, or the clock jumped. */
  onDidChangeActiveState(listener: (state: ActiveState) => void): { dispose(): void } {
    return this.active.onDidChange(listener);
  }
  /** Any profile's token changed (sessions of every profile follow this). */
  onDidChangeTokens(listener: () => void): { dispose(): void } {
    return this.active.onDidChangeTokens(listener);
  }
  get activeState(): ActiveState {
    return this.active.state;
  }

  // The app's client-credentials token and the browser user's: appToken and userToken request one only when the
  // cache has none usable, renew* always, usableAppToken and cachedUserToken never.
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
  /** The user's token (with its refresh token) as cached, expired or not, without any request. */
  cachedUserToken(profile: Profile): Promise<IssuedToken | undefined> {
    return this.cache.latest(this.slot(profile, 'user'));
  }
  /** A usable user token: the cached one, or a refreshed one. Throws when there is neither. */
  userToken(profile: Profile): Promise<IssuedToken> {
    return this.source.usableOrRequested(this.slot(profile, 'user'));
  }
  /** A new user token from the refresh token now; on failure the current one stays. */
  renewUserToken(profile: Profile): Promise<IssuedToken> {
    return this.source.request(this.slot(profile, 'user'));
  }

  // A profile's credentials (see ProfileCredentials), and the browser sign-in pinned to them (see pinnedSignIn.ts).
  hasSecret(profile: Profile): Promise<boolean> {
    return this.profiles.has(profile);
  }
  verifyCredentials(profile: Profile, apiSecret: string): Promise<IssuedToken> {
    return this.profiles.verify(profile, apiSecret);
  }
  saveCredentials(profile: Profile, apiSecret: string, token: IssuedToken | undefined): Promise<void> {
    return this.profiles.save(profile, apiSecret, token);
  }
  credentialsMoved(before: Profile, after: Profile): boolean {
    return this.profiles.moved(before, after);
  }
  sameIssuerAndKey(before: Profile, after: Profile): boolean {
    return this.profiles.sameIssuerAndKey(before, after);
  }
  moveCredentials(before: Profile, after: Profile): Promise<void> {
    return this.profiles.move(before, after);
  }
  signOut(profile: Profile): Promise<void> {
    return this.profiles.signOut(profile);
  }
  forgetUser(profile: Profile): Promise<void> {
    return this.profiles.forgetUser(profile);
  }
  beginSignIn(profile: Profile): Promise<PinnedSignIn> {
    return this.profiles.beginSignIn(profile);
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
    this.parts.forEach((part) => part.dispose());
  }

  private slot(profile: Profile, subject: Subject): Slot {
    return slotOf(this.deps.settings, profile, subject);
  }
}
