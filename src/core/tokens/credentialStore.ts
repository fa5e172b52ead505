/** The API secrets, one per profile's issuer and API key, in the shared store: a keychain of three methods. */
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

  /** The store key names the profile, its issuer and its API key: a secret never serves another issuer or client. */
  key(profile: Profile, environment = this.environment(profile)): string {
    return credentialKey(profile, environment);
  }
}
