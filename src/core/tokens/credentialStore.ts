/**
 * The API secrets, one per profile's issuer and API key, in the shared store, and which edit of a profile keeps its
 * secret. Loaded at activation (the commands ask it synchronously); the rest of a profile's credentials load later.
 */
import type { Environment } from '../profiles/environments';
import { credentialKey, type Profile } from '../profiles/profiles';
import type { SecretStore } from './lifecycleDependencies';

export class CredentialStore {
  constructor(
    private readonly store: SecretStore,
    private readonly environment: (profile: Profile) => Environment,
  ) {}

  /** The secret entered for the profile's issuer and API key (at `environment`, else as the settings resolve it now). */
  get(profile: Profile, environment?: Environment): Thenable<string | undefined> {
    return this.store.get(this.key(profile, environment));
  }

  set(profile: Profile, apiSecret: string): Thenable<void> {
    return this.store.store(this.key(profile), apiSecret);
  }

  delete(profile: Profile): Thenable<void> {
    return this.store.delete(this.key(profile));
  }

  /** The edit moved the credentials to another key (name, issuer or API key changed). */
  moved(before: Profile, after: Profile): boolean {
    return this.key(before) !== this.key(after);
  }

  /** Whether a secret entered for `before` may be used for `after`: the same issuer and the same API key. */
  sameIssuerAndKey(before: Profile, after: Profile): boolean {
    return this.environment(before).issuer === this.environment(after).issuer && before.apiKey === after.apiKey;
  }

  /** The store key names the profile, its issuer and its API key: a secret never serves another issuer or client. */
  key(profile: Profile, environment = this.environment(profile)): string {
    return credentialKey(profile, environment);
  }
}
