import type { Profile } from '../core/profiles/profiles';
import type { IssuedToken } from '../core/tokens/token';

/**
 * The active profile and a usable app token for it, asking for whatever is missing; undefined when the user cancelled
 * or the failure was already reported. `retry` runs if the user picks "Retry" on that report.
 */
export type AcquireToken = (retry: () => Promise<unknown>) => Promise<[Profile, IssuedToken] | undefined>;
