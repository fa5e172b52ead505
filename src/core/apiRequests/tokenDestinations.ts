/**
 * Where a request with the token may go without asking: under the environment's API base. Any other host is asked
 * for once per session, in a modal naming it. A Custom profile without its own API base trusts no host.
 */
import type { Environment } from '../profiles/environments';
import { withoutTrailingSlash } from '../profiles/environments';
import type { Profile } from '../profiles/profiles';

/** The API base requests go to without asking; undefined when the profile has none of its own (Custom, unset). */
export function trustedApiBase(profile: Profile, environment: Environment): string | undefined {
  if (environment.kind === 'custom' && !profile.apiBaseUrl) {
    return undefined;
  }
  return withoutTrailingSlash(environment.apiBaseUrl);
}

/**
 * The host to ask the user about before sending the token to `url`; undefined when the URL is under the trusted API
 * base, or its host was already allowed this session. A URL that does not parse is the URL check's business.
 */
export function hostToConfirm(url: string, trustedBase: string | undefined, allowedHosts: ReadonlySet<string>): string | undefined {
  let target: URL;
  try {
    target = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (trustedBase !== undefined && underBase(target, trustedBase)) {
    return undefined;
  }
  const host = target.host.toLowerCase();
  return allowedHosts.has(host) ? undefined : host;
}

/** Whether `url` lies under the trusted API base (same scheme and host, the base's path as a prefix, no credentials). */
export function underTrustedBase(url: string, trustedBase: string | undefined): boolean {
  let target: URL;
  try {
    target = new URL(url.trim());
  } catch {
    return false;
  }
  return trustedBase !== undefined && underBase(target, trustedBase);
}

function underBase(target: URL, base: string): boolean {
  let baseUrl: URL;
  try {
    baseUrl = new URL(base);
  } catch {
    return false;
  }
  if (target.protocol !== baseUrl.protocol || target.host.toLowerCase() !== baseUrl.host.toLowerCase() || target.username || target.password) {
    return false;
  }
  const basePath = withoutTrailingSlash(baseUrl.pathname);
  if (basePath === '') {
    return true;
  }
  // URL parsing resolves "..", but a gateway that decodes %2e, %2f, %5c, or reads "..;" as "..", would still climb.
  const climbs = /%2e|%2f|%5c|\.\.;/i.test(target.pathname);
  return !climbs && (target.pathname === basePath || target.pathname.startsWith(`${basePath}/`));
}

/** What the extension's own modal asks before the token goes somewhere; its button sends. */
export interface DestinationQuestion {
  readonly message: string;
  readonly detail?: string;
  readonly button: string;
  /** Allowed for the rest of the session once the user sends (undefined: this request only). */
  readonly host?: string;
}

/** Call API's question: only for a host outside the trusted API base that was not allowed yet. */
export function hostQuestion(
  url: string,
  profileName: string,
  trustedBase: string | undefined,
  allowedHosts: ReadonlySet<string>,
): DestinationQuestion | undefined {
  const host = hostToConfirm(url, trustedBase, allowedHosts);
  return host === undefined ? undefined : { message: confirmHostMessage(host, profileName, trustedBase), button: sendToHostButton(host), host };
}

export const sendToHostButton = (host: string): string => `Send to ${host}`;

/** The modal's question: the host, in full, and what goes there. */
export function confirmHostMessage(host: string, profileName: string, trustedBase: string | undefined): string {
  return `Send the token of "${profileName}" to ${host}? ${host} is not ${trustedBase ? `under this environment's API base (${trustedBase})` : 'an API base of this profile (it has none configured)'}: whoever runs it can call Fortellis APIs with it until it expires.`;
}
