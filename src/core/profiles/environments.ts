/**
 * Fortellis authorization servers and API hosts, and the rules for issuer URLs.
 * Every Fortellis URL the extension knows comes from this module.
 */

import { transportProblem } from '../http/urlPolicy';

export type EnvironmentKind = 'production' | 'sandbox' | 'custom';

export interface Environment {
  readonly kind: EnvironmentKind;
  /** Okta-style custom authorization server, e.g. https://identity.fortellis.io/oauth2/aus… (no trailing slash). */
  readonly issuer: string;
  /** Where Fortellis APIs are called, e.g. https://api.fortellis.io. */
  readonly apiBaseUrl: string;
  /** Lists an app's subscriptions (GET with the app's client-credentials token); '' when none is configured. */
  readonly subscriptionsUrl: string;
}

export const PRODUCTION_ISSUER = 'https://identity.fortellis.io/oauth2/aus1p1ixy7YL8cMq02p7';
export const PRODUCTION_API_BASE_URL = 'https://api.fortellis.io';
export const PRODUCTION_SUBSCRIPTIONS_URL = 'https://subscriptions.fortellis.io/v1/solution/subscriptions';

/** Fortellis-internal stacks, offered as presets for a custom environment. */
export const INTERNAL_ISSUERS: ReadonlyArray<{ readonly name: string; readonly issuer: string }> = [
  { name: 'dev', issuer: 'https://identity-dev.fortellis.io/oauth2/aus1ni5i9n9WkzcYa2p7' },
  { name: 'qat', issuer: 'https://identity-qat.fortellis.io/oauth2/ausax07ig2eIlo3pO4x6' },
  { name: 'demo', issuer: 'https://identity-demo.fortellis.io/oauth2/ausl5fngjEXkT0rMe5d6' },
];

/** Still in 2019 samples; its tokens are rejected by the gateway. */
const DEPRECATED_ISSUER_HOST = 'api.accounts.fortellis.io';

export const ENVIRONMENT_LABELS: Readonly<Record<EnvironmentKind, string>> = {
  production: 'Fortellis production',
  sandbox: 'Local sandbox',
  custom: 'Custom issuer',
};

export function tokenEndpoint(issuer: string): string {
  return `${withoutTrailingSlash(issuer)}/v1/token`;
}

/** The issuer's signing keys (JWKS); Fortellis rotates the `kid` at least every 90 days. */
export function jwksEndpoint(issuer: string): string {
  return `${withoutTrailingSlash(issuer)}/v1/keys`;
}

export function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * Checks an issuer URL a user typed. Returns a message saying what is wrong and how to fix it,
 * or undefined when the URL is usable.
 */
export function issuerProblem(input: string): string | undefined {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return 'Enter a full URL, e.g. https://identity.fortellis.io/oauth2/aus…';
  }
  const insecure = transportProblem(url, 'send your API secret');
  if (insecure) {
    return insecure;
  }
  if (url.hostname.toLowerCase() === DEPRECATED_ISSUER_HOST) {
    return `${DEPRECATED_ISSUER_HOST} is the deprecated Fortellis server: its tokens are refused. Use ${PRODUCTION_ISSUER}.`;
  }
  if (/\/v1\/(token|authorize|keys)\/?$/.test(url.pathname)) {
    return 'Enter the issuer, without /v1/token (or /v1/authorize): the extension adds the endpoint paths.';
  }
  if (url.search || url.hash) {
    return 'The issuer URL has no query string or fragment.';
  }
  return undefined;
}
