/**
 * Which of a profile's tokens the requests use: the app's client-credentials token, or the token of the user signed in
 * with the browser (for Fortellis' user-context APIs). One choice per profile.
 */
import type { Profile } from '../profiles/profiles';
import type { IssuedToken } from './token';

export type TokenSubject = 'app' | 'user';

export const TOKEN_SUBJECT_LABELS: Readonly<Record<TokenSubject, string>> = {
  app: "the app's token (client credentials)",
  user: "the signed-in user's token (browser sign-in)",
};

/** The part of the token lifecycle that gets and renews either token. */
export interface SubjectTokens {
  appToken(profile: Profile): Promise<IssuedToken>;
  userToken(profile: Profile): Promise<IssuedToken>;
  renewAppToken(profile: Profile): Promise<IssuedToken>;
  renewUserToken(profile: Profile): Promise<IssuedToken>;
}

/** A usable token of `subject`: cached, else requested (the user's with its refresh token). */
export function tokenOf(tokens: SubjectTokens, profile: Profile, subject: TokenSubject): Promise<IssuedToken> {
  return subject === 'user' ? tokens.userToken(profile) : tokens.appToken(profile);
}

/** A new token of `subject` now (a refused one is renewed once before a request is sent again). */
export function renewedTokenOf(tokens: SubjectTokens, profile: Profile, subject: TokenSubject): Promise<IssuedToken> {
  return subject === 'user' ? tokens.renewUserToken(profile) : tokens.renewAppToken(profile);
}

/** The stored choices (profile name → 'user'; the app's token is the default) as far as they are well formed. */
export function subjectIn(stored: unknown, profile: Pick<Profile, 'name'>): TokenSubject {
  return typeof stored === 'object' && stored !== null && (stored as Record<string, unknown>)[profile.name] === 'user' ? 'user' : 'app';
}
