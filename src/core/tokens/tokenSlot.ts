/** Where a token is kept: the app's client-credentials token or the browser user's, of one profile at one issuer. */
import type { Environment } from '../profiles/environments';
import { clientCredentialsCacheKey, type Profile, userCacheKey } from '../profiles/profiles';

export type Subject = 'app' | 'user';

export interface Slot {
  readonly key: string;
  readonly subject: Subject;
  readonly profile: Profile;
  readonly environment: Environment;
}

/** The slot of the profile's token at the environment the settings resolve for it now. */
export function slotOf(settings: { environment(profile: Profile): Environment }, profile: Profile, subject: Subject): Slot {
  return slotAt(profile, subject, settings.environment(profile));
}

export function slotAt(profile: Profile, subject: Subject, environment: Environment): Slot {
  return { key: subject === 'app' ? clientCredentialsCacheKey(profile, environment) : userCacheKey(profile, environment), subject, profile, environment };
}
