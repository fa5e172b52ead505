/**
 * A browser sign-in bound, when it starts, to the profile's issuer, API key and secret. If the profile is edited before
 * the callback arrives, the exchange stops with a message instead of sending the code and the secret to wherever the
 * profile points then.
 */
import type { Profile } from '../profiles/profiles';
import type { TokensCallback } from '../signIn/signInCallback';
import type { Redactor } from '../text/redaction';
import type { CredentialStore } from './credentialStore';
import type { LifecycleSettings } from './lifecycleDependencies';
import type { IssuedToken } from './token';
import type { TokenCache } from './tokenCache';
import { MissingSecretError, SignInProfileChangedError } from './tokenErrors';
import { type Slot, slotAt } from './tokenSlot';
import type { TokenSource } from './tokenSource';

/** A sign-in bound, when it starts, to one issuer, client and secret. */
export interface PinnedSignIn {
  readonly issuer: string;
  readonly clientId: string;
  exchangeCode(code: string, redirectUri: string, codeVerifier: string | undefined): Promise<IssuedToken>;
  implicitTokens(callback: TokensCallback): Promise<IssuedToken>;
  /** Keeps the user token for the profile (checked against the pin once more). */
  save(token: IssuedToken): Promise<IssuedToken>;
}

export interface SignInParts {
  readonly settings: LifecycleSettings;
  readonly credentials: CredentialStore;
  readonly redactor: Redactor;
  readonly source: TokenSource;
  readonly cache: TokenCache;
}

export async function pinSignIn(profile: Profile, parts: SignInParts): Promise<PinnedSignIn> {
  const { settings, credentials, source, cache } = parts;
  const environment = settings.environment(profile);
  const apiSecret = await credentials.get(profile, environment);
  if (apiSecret === undefined) {
    throw new MissingSecretError(profile);
  }
  parts.redactor.add(apiSecret);
  const checkPin = (): Slot => {
    const now = settings.profileNamed(profile.name);
    if (!now) {
      throw new SignInProfileChangedError(profile.name, 'was removed');
    }
    const nowEnvironment = settings.environment(now);
    if (nowEnvironment.issuer !== environment.issuer || now.apiKey !== profile.apiKey) {
      throw new SignInProfileChangedError(profile.name, `was edited (issuer or API key changed; the sign-in began with ${environment.issuer})`);
    }
    return { ...slotAt(profile, 'user', environment), profile: now };
  };
  return {
    issuer: environment.issuer,
    clientId: profile.apiKey,
    exchangeCode: async (code, redirectUri, codeVerifier) => {
      checkPin();
      return source.exchangeCode(profile, environment, apiSecret, { code, redirectUri, codeVerifier });
    },
    implicitTokens: async (callback) => {
      checkPin();
      return source.implicitTokens(environment, callback);
    },
    save: async (token) => {
      const slot = checkPin();
      if ((await credentials.get(profile, environment)) !== apiSecret) {
        throw new SignInProfileChangedError(profile.name, 'was signed out or got another API secret');
      }
      const accepted = cache.accept(token);
      await cache.write(slot, accepted);
      return accepted;
    },
  };
}
