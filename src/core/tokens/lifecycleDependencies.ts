/** What the token lifecycle is given: the store, clock, settings, log and HTTP grants (all free of VS Code). */
import type { Environment } from '../profiles/environments';
import type { Profile } from '../profiles/profiles';
import type { Redactor } from '../text/redaction';
import type { Clock } from './clock';
import type { RenewalPolicy } from './renewalSchedule';
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
