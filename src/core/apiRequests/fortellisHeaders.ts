/**
 * What every Fortellis API request carries, and the names the extension exports a token under.
 * Snippets, Call API and the terminal environment all take these names from here.
 */
export const FORTELLIS_HEADERS = {
  authorization: 'Authorization',
  subscriptionId: 'Subscription-Id',
  requestId: 'Request-Id',
  accept: 'Accept',
  contentType: 'Content-Type',
} as const;

/** An HTTP header name (RFC 9110 token). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Headers a request never takes from a caller (e.g. a spec's header parameters): the extension sets them, or HTTP does. */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set(
  [...Object.values(FORTELLIS_HEADERS), 'Host', 'Content-Length', 'Transfer-Encoding', 'Connection'].map((name) => name.toLowerCase()),
);

export const JSON_MEDIA_TYPE = 'application/json';

/** Environment variables of integrated terminals, which generated snippets read the token from. */
export const ENVIRONMENT_VARIABLES = {
  token: 'FORTELLIS_TOKEN',
  subscriptionId: 'FORTELLIS_SUBSCRIPTION_ID',
} as const;

/** Methods whose requests carry a body. */
export const METHODS_WITH_BODY: readonly string[] = ['POST', 'PUT', 'PATCH'];

export const HTTP_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
