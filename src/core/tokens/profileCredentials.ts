/**
 * A profile's API secret together with its tokens: a secret is verified before it is kept, moves with an edit that
 * keeps its issuer and API key, and goes with its tokens on sign-out.
 */
import type { Profile } from '../profiles/profiles';
import type { LifecycleLog } from './lifecycleDependencies';
import { type PinnedSignIn, pinSignIn, type SignInParts } from './pinnedSignIn';
import type { IssuedToken } from './token';
import { CredentialsNotMovableError, MissingSecretError } from './tokenErrors';
import { slotOf } from './tokenSlot';

export interface ProfileCredentialsParts extends SignInParts {
  readonly log: LifecycleLog;
}

export class ProfileCredentials {
  constructor(private readonly parts: ProfileCredentialsParts) {}

  has(profile: Profile): Promise<boolean> {
    return Promise.resolve(this.parts.credentials.get(profile)).then((secret) => secret !== undefined);
  }

  /** A token requested with a secret the user just entered; nothing is stored. */
  async verify(profile: Profile, apiSecret: string): Promise<IssuedToken> {
    this.parts.redactor.add(apiSecret);
    return this.parts.source.clientCredentials(slotOf(this.parts.settings, profile, 'app'), apiSecret);
  }

  /** Stores the secret, and the token it was verified with (or forgets the old one). */
  async save(profile: Profile, apiSecret: string, token: IssuedToken | undefined): Promise<void> {
    const { redactor, credentials, cache, settings } = this.parts;
    redactor.add(apiSecret);
    await credentials.set(profile, apiSecret);
    const slot = slotOf(settings, profile, 'app');
    await (token ? cache.write(slot, token) : cache.remove(slot));
  }

  /**
   * Keeps the stored secret and tokens for an edited profile whose issuer and API key did not change (a new name,
   * Subscription-Id or callback mode). Refuses any other edit: the secret was entered for that issuer and client only.
   */
  async move(before: Profile, after: Profile): Promise<void> {
    const { credentials, cache, settings } = this.parts;
    if (!credentials.sameIssuerAndKey(before, after)) {
      throw new CredentialsNotMovableError(before.name);
    }
    if (!credentials.moved(before, after)) {
      return;
    }
    const secret = await credentials.get(before);
    if (secret === undefined) {
      throw new MissingSecretError(before);
    }
    await credentials.set(after, secret);
    for (const subject of ['app', 'user'] as const) {
      const token = await cache.latest(slotOf(settings, before, subject));
      if (token) {
        await cache.write(slotOf(settings, after, subject), token);
      }
    }
    await this.signOut(before);
  }

  /** Forgets the profile's secret and its tokens, the signed-in user's included. */
  async signOut(profile: Profile): Promise<void> {
    const { credentials, cache, settings } = this.parts;
    await credentials.delete(profile);
    await cache.remove(slotOf(settings, profile, 'app'));
    await cache.remove(slotOf(settings, profile, 'user'));
    this.parts.log.info(`Signed out of profile "${profile.name}": its API secret and cached tokens were deleted.`);
  }

  /** A browser sign-in bound to the profile's issuer, API key and secret as they are now. */
  beginSignIn(profile: Profile): Promise<PinnedSignIn> {
    return pinSignIn(profile, this.parts);
  }

  /** Forgets the browser user's token; the API secret and the app token stay. */
  async forgetUser(profile: Profile): Promise<void> {
    await this.parts.cache.remove(slotOf(this.parts.settings, profile, 'user'));
    this.parts.log.info(`Signed the browser user of profile "${profile.name}" out: the user token was deleted.`);
  }
}
