/**
 * What every Fortellis API request carries, and the names the extension exports a token under.
 * Snippets, Call API and the terminal environment all take these names from here.
 */
import { printable } from '../text/printable';

export const FORTELLIS_HEADERS = {
  authorization: 'Authorization',
  subscriptionId: 'Subscription-Id',
  requestId: 'Request-Id',
  accept: 'Accept',
  contentType: 'Content-Type',
} as const;

/** What a Fortellis API request is made of, sent by Call API or written as a snippet; its token is apart. */
export interface FortellisRequestParts {
  /** e.g. GET; a snippet takes one of HTTP_METHODS. */
  readonly method: string;
  /** An absolute http(s) URL. */
  readonly url: string;
  /** Sent as Subscription-Id; Call API sends none for '' (the gateway then answers MISSING-SUBSCRIPTION-ID). */
  readonly subscriptionId: string;
  /** Sent as Request-Id as it is: a uuid made for this request, to quote to the API provider. */
  readonly requestId: string;
  /** POST, PUT and PATCH only; sent byte for byte, as UTF-8. */
  readonly body?: string;
  /** Of the body; default application/json. */
  readonly contentType?: string;
  /** Default application/json. */
  readonly accept?: string;
  /** Other headers, e.g. a spec's header parameters, sent after the Fortellis ones; refused as extraHeaderRefusal says. */
  readonly extraHeaders?: ReadonlyArray<readonly [string, string]>;
}

/** An HTTP header name: an RFC 9110 token that starts with a letter or digit (a .http file reads a line "###: x" as a separator). */
const HEADER_NAME = /^[0-9A-Za-z][!#$%&'*+.^_`|~0-9A-Za-z-]*$/;

/** What a header value may hold: printable ASCII (Call's HTTP client and most snippet languages refuse the rest). */
const HEADER_VALUE = /^[\x20-\x7e]*$/;

/**
 * Headers a request never takes from a caller (e.g. a spec's header parameters): the extension sets them, HTTP does
 * (Java's HttpClient and Node's fetch refuse to set Expect and Upgrade), or a gateway may read them to send the
 * request to another path, host or method than the one shown.
 */
const RESERVED_HEADERS: ReadonlySet<string> = new Set(
  [
    ...Object.values(FORTELLIS_HEADERS),
    ...['Host', 'Content-Length', 'Transfer-Encoding', 'Connection', 'Keep-Alive', 'Expect', 'Upgrade', 'TE', 'Trailer'],
    ...['Proxy-Authorization', 'Proxy-Connection', 'Forwarded', 'X-Forwarded-For', 'X-Forwarded-Host', 'X-Forwarded-Proto'],
    ...['X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override', 'X-Original-URL', 'X-Rewrite-URL'],
  ].map((name) => name.toLowerCase()),
);

/** Headers that describe a body (.NET keeps them on the content, not the request): Content-*, Allow, Expires, Last-Modified. */
export function describesBody(name: string): boolean {
  return /^content-/i.test(name) || ['allow', 'expires', 'last-modified'].includes(name.toLowerCase());
}

/** Why `value` cannot be sent as the `name` header, or undefined: Call API and every snippet apply this one rule. */
export function headerValueRefusal(name: string, value: string): string | undefined {
  return HEADER_VALUE.test(value)
    ? undefined
    : `The ${name} header has line breaks or characters other than printable ASCII, which a header cannot carry: enter it again.`;
}

/**
 * Why a caller's header (a spec's header parameter) is not sent, or undefined when it is. Call API, every snippet
 * language and the spec's parameter prompts apply this one rule. A header that describes a body is refused on a
 * request without one (it has nothing to describe, and .NET has no place for it).
 */
export function extraHeaderRefusal(name: string, hasBody: boolean): string | undefined {
  if (!HEADER_NAME.test(name)) {
    return `The header "${printable(name)}" is not sent: it is not a header name.`;
  }
  if (RESERVED_HEADERS.has(name.toLowerCase())) {
    return `The header "${name}" is not sent: the extension or HTTP sets it, or a gateway could read it to send the request elsewhere.`;
  }
  if (!hasBody && describesBody(name)) {
    return `The header "${name}" is not sent: it describes a body, and this request has none.`;
  }
  return undefined;
}

export const JSON_MEDIA_TYPE = 'application/json';

/** Methods whose requests carry a body. */
export const METHODS_WITH_BODY: readonly string[] = ['POST', 'PUT', 'PATCH'];

export const HTTP_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
