/**
 * The lifecycle's parts that request, renew and manage credentials: the token source, the renewal lease and
 * scheduler, and a profile's credentials with its pinned sign-in. None of them is needed to show the first countdown
 * (the cache and the active state do that), so the facade loads them after it, or at the first call that needs them:
 * in the extension this module is its own bundle, dist/lifecycleParts.js.
 */
import type { CredentialStore } from './credentialStore';
import type { LifecycleDependencies } from './lifecycleDependencies';
import { ProfileCredentials } from './profileCredentials';
import { RenewalLease } from './renewalLease';
import { RenewalScheduler } from './renewalScheduler';
import type { TokenCache } from './tokenCache';
import { longestRequestMs, TokenSource } from './tokenSource';

export interface LifecycleParts {
  readonly source: TokenSource;
  readonly renewal: RenewalScheduler;
  readonly profiles: ProfileCredentials;
  dispose(): void;
}

export interface LifecyclePartsInputs {
  readonly cache: TokenCache;
  readonly credentials: CredentialStore;
  /** The clock jumped: after every renewal is rescheduled, the active state is published again. */
  readonly onClockJump: () => Promise<void>;
}

export function createLifecycleParts(deps: LifecycleDependencies, { cache, credentials, onClockJump }: LifecyclePartsInputs): LifecycleParts {
  const lease = new RenewalLease(deps.store, deps.clock, () => longestRequestMs(deps.settings.http().timeoutMs));
  const source = new TokenSource({ ...deps, cache, credentials, lease });
  const renewal = new RenewalScheduler({ ...deps, cache, source, lease, onClockJump });
  const profiles = new ProfileCredentials({ ...deps, credentials, cache, source });
  return {
    source,
    renewal,
    profiles,
    dispose: () => [source, lease, renewal].forEach((part) => part.dispose()),
  };
}
