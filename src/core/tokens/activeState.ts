/**
 * Which profile is active, and what it holds: what the status bar, terminals, token files and sessions follow. Its
 * listeners hear of it, and of any profile's token changing.
 */
import type { Environment } from '../profiles/environments';
import type { Profile } from '../profiles/profiles';
import type { LifecycleSettings } from './lifecycleDependencies';
import type { RenewalPolicy } from './renewalSchedule';
import type { IssuedToken } from './token';
import type { TokenCache } from './tokenCache';
import { slotOf } from './tokenSlot';

/** What the active profile holds. */
export interface ActiveState {
  readonly profile: Profile | undefined;
  readonly environment: Environment | undefined;
  readonly appToken: IssuedToken | undefined;
  /** The browser-signed-in user's token, with its refresh token when there is one. */
  readonly userToken: IssuedToken | undefined;
  readonly renewal: RenewalPolicy;
}

export class ActiveProfile {
  private readonly listeners = new Set<(state: ActiveState) => void>();
  private readonly tokenListeners = new Set<() => void>();
  private active: { profile: Profile; environment: Environment } | undefined;
  private latest: ActiveState;
  private publishes = 0;
  private closed = false;

  constructor(
    private readonly cache: TokenCache,
    private readonly settings: LifecycleSettings,
  ) {
    this.latest = { profile: undefined, environment: undefined, appToken: undefined, userToken: undefined, renewal: settings.renewal() };
  }

  get state(): ActiveState {
    return this.latest;
  }

  onDidChange(listener: (state: ActiveState) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Any profile's token changed (sessions of every profile follow this). */
  onDidChangeTokens(listener: () => void): { dispose(): void } {
    this.tokenListeners.add(listener);
    return { dispose: () => this.tokenListeners.delete(listener) };
  }

  /** A slot's token changed: every listener hears, and the state is published again if the slot is the active profile's. */
  async tokenChanged(key: string): Promise<void> {
    this.tokenListeners.forEach((listener) => listener());
    if (this.holds(key)) {
      await this.publish();
    }
  }

  /** Makes `profile` the active one; false when it already is, at the same environment. */
  select(profile: Profile | undefined): boolean {
    const environment = profile && this.settings.environment(profile);
    const before = this.active && JSON.stringify([this.active.profile, this.active.environment]);
    const after = profile && JSON.stringify([profile, environment]);
    if (before === after) {
      return false;
    }
    this.active = profile && environment && { profile, environment };
    return true;
  }

  private holds(key: string): boolean {
    return (
      this.active !== undefined &&
      (key === slotOf(this.settings, this.active.profile, 'app').key || key === slotOf(this.settings, this.active.profile, 'user').key)
    );
  }

  /** Tells the listeners what the active profile holds now (the latest of overlapping calls wins). */
  async publish(): Promise<void> {
    const publish = ++this.publishes;
    const active = this.active;
    const renewal = this.settings.renewal();
    const slots = active && [slotOf(this.settings, active.profile, 'app'), slotOf(this.settings, active.profile, 'user')];
    // With no active profile, the listeners hear at once.
    const loaded = slots ? await Promise.all(slots.map((slot) => this.cache.held(slot.key) ?? this.cache.load(slot))) : [];
    if (this.closed || active !== this.active || publish !== this.publishes) {
      return;
    }
    this.latest = { profile: active?.profile, environment: active?.environment, appToken: loaded[0], userToken: loaded[1], renewal };
    this.listeners.forEach((listener) => listener(this.latest));
  }

  dispose(): void {
    this.closed = true;
    this.listeners.clear();
    this.tokenListeners.clear();
  }
}
