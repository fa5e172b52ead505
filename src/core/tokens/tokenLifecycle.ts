/**
 * The one owner of every token, grant and API secret: a facade over parts with one job each (credential store, token
 * cache, active profile; and, loaded once the first countdown shows, lifecycleParts.ts: token source, renewal lease and
 * scheduler, profile credentials, pinned sign-in). Free of VS Code: the store, clock, settings, log and grants are injected.
 */
import type { Profile } from '../profiles/profiles';
import { type ActiveState, ActiveProfile } from './activeState';
import { CredentialStore } from './credentialStore';
import { LazyParts } from './lazyParts';
import type { LifecycleDependencies } from './lifecycleDependencies';
import type * as LifecyclePartsModule from './lifecycleParts';
import type { PinnedSignIn } from './pinnedSignIn';
import type { IssuedToken } from './token';
import { TokenCache } from './tokenCache';
import { type Slot, type Subject, slotOf } from './tokenSlot';

export type { ActiveState } from './activeState';
export type { LifecycleDependencies, LifecycleLog, LifecycleSettings, SecretStore, TokenGrants } from './lifecycleDependencies';
export type { PinnedSignIn } from './pinnedSignIn';

export interface LifecycleOptions extends LifecycleDependencies {
  /** Loads lifecycleParts.ts (tests pass it in, to load it without I/O). Default: import(), dist/lifecycleParts.js in the extension. */
  readonly parts?: () => Promise<Pick<typeof LifecyclePartsModule, 'createLifecycleParts'>>;
}

export class TokenLifecycle {
  /** What this window holds (tests read a window's tokens here). */
  readonly cache: TokenCache;
  private readonly credentials: CredentialStore;
  private readonly active: ActiveProfile;
  private readonly parts: LazyParts;

  constructor(private readonly deps: LifecycleOptions) {
    const cache = (this.cache = new TokenCache(deps, {
      // A change reschedules the slot's renewal first; then every listener hears, and the active state follows its own.
      changed: (key, written) => {
        this.parts.ready?.renewal.tokenChanged(key, written);
        return this.active.tokenChanged(key);
      },
      loaded: (key) => this.parts.ready?.renewal.tokenLoaded(key),
    }));
    const credentials = (this.credentials = new CredentialStore(deps.store, (profile) => deps.settings.environment(profile)));
    this.active = new ActiveProfile(cache, deps.settings);
    const load = deps.parts ?? (() => import('./lifecycleParts.js'));
    const onClockJump = () => this.active.publish();
    this.parts = new LazyParts(() => load().then(({ createLifecycleParts }) => createLifecycleParts(deps, { cache, credentials, onClockJump })));
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
    return this.parts.get().then(({ source }) => source.usableOrRequested(this.slot(profile, 'app')));
  }
  /** The cached app token if it is still usable, without any request. */
  usableAppToken(profile: Profile): Promise<IssuedToken | undefined> {
    return this.cache.usable(this.slot(profile, 'app'));
  }
  /** A new app token now, as the user asked. On failure the current one stays. */
  renewAppToken(profile: Profile): Promise<IssuedToken> {
    return this.parts.get().then(({ source }) => source.request(this.slot(profile, 'app')));
  }
  /** The user's token (with its refresh token) as cached, expired or not, without any request. */
  cachedUserToken(profile: Profile): Promise<IssuedToken | undefined> {
    return this.cache.latest(this.slot(profile, 'user'));
  }
  /** A usable user token: the cached one, or a refreshed one. Throws when there is neither. */
  userToken(profile: Profile): Promise<IssuedToken> {
    return this.parts.get().then(({ source }) => source.usableOrRequested(this.slot(profile, 'user')));
  }
  /** A new user token from the refresh token now; on failure the current one stays. */
  renewUserToken(profile: Profile): Promise<IssuedToken> {
    return this.parts.get().then(({ source }) => source.request(this.slot(profile, 'user')));
  }

  // A profile's credentials (see ProfileCredentials), and the browser sign-in pinned to them (see pinnedSignIn.ts).
  hasSecret(profile: Profile): Promise<boolean> {
    return this.parts.get().then(({ profiles }) => profiles.has(profile));
  }
  verifyCredentials(profile: Profile, apiSecret: string): Promise<IssuedToken> {
    return this.parts.get().then(({ profiles }) => profiles.verify(profile, apiSecret));
  }
  saveCredentials(profile: Profile, apiSecret: string, token: IssuedToken | undefined): Promise<void> {
    return this.parts.get().then(({ profiles }) => profiles.save(profile, apiSecret, token));
  }
  credentialsMoved(before: Profile, after: Profile): boolean {
    return this.credentials.moved(before, after);
  }
  sameIssuerAndKey(before: Profile, after: Profile): boolean {
    return this.credentials.sameIssuerAndKey(before, after);
  }
  moveCredentials(before: Profile, after: Profile): Promise<void> {
    return this.parts.get().then(({ profiles }) => profiles.move(before, after));
  }
  signOut(profile: Profile): Promise<void> {
    return this.parts.get().then(({ profiles }) => profiles.signOut(profile));
  }
  forgetUser(profile: Profile): Promise<void> {
    return this.parts.get().then(({ profiles }) => profiles.forgetUser(profile));
  }
  beginSignIn(profile: Profile): Promise<PinnedSignIn> {
    return this.parts.get().then(({ profiles }) => profiles.beginSignIn(profile));
  }

  /** Which profile the status bar and the commands use: its tokens are kept fresh (once its countdown shows), no other profile's. */
  async setActiveProfile(profile: Profile | undefined): Promise<void> {
    if (this.active.select(profile)) {
      this.parts.follow(profile ? [this.slot(profile, 'app'), this.slot(profile, 'user')] : []);
    }
    await this.active.publish();
    await this.parts.startRenewal();
  }

  /** The renewal settings changed: reschedule with the new ones. */
  async settingsChanged(): Promise<void> {
    this.parts.ready?.renewal.rescheduleAll();
    await this.active.publish();
  }

  /** The shared store changed, possibly in another window. */
  storeChanged(storeKey: string): Promise<void> {
    return this.cache.storeChanged(storeKey);
  }

  dispose(): void {
    this.parts.dispose();
    this.active.dispose();
  }

  private slot(profile: Profile, subject: Subject): Slot {
    return slotOf(this.deps.settings, profile, subject);
  }
}
