/** The URL of an API request: where it starts from, and what is wrong with one a user typed. */
import type { Environment } from '../profiles/environments';
import { transportProblem } from '../http/urlPolicy';
import { withoutTrailingSlash } from '../profiles/environments';

export interface UrlProblem {
  readonly message: string;
  /** false: a warning the user may go past (e.g. a namespace without -test). */
  readonly blocking: boolean;
}

/** What the URL box starts with: the environment's API base and a slash. */
export function startingApiUrl(environment: Environment): string {
  return `${withoutTrailingSlash(environment.apiBaseUrl)}/`;
}

/**
 * Checks a request URL. A bearer token must not travel in plain http except to this machine; a profile that calls
 * test namespaces expects the first path segment after the API base to end with -test (e.g. /cdk-test/…).
 */
export function apiUrlProblem(input: string, environment: Environment, useTestNamespace: boolean): UrlProblem | undefined {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { message: `Enter a full URL, e.g. ${startingApiUrl(environment)}<namespace>/<api>/…`, blocking: true };
  }
  const insecure = transportProblem(url, 'send your token');
  if (insecure) {
    return { message: insecure, blocking: true };
  }
  if (useTestNamespace) {
    const base = withoutTrailingSlash(environment.apiBaseUrl);
    const namespace = url.href.startsWith(`${base}/`) ? url.href.slice(base.length + 1).split(/[/?#]/)[0] : '';
    if (namespace && !namespace.endsWith('-test')) {
      return { message: `This profile calls test namespaces: use /${namespace}-test/… instead of /${namespace}/….`, blocking: false };
    }
  }
  return undefined;
}
