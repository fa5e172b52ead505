/**
 * What a request snippet sends, checked and normalized once for every language, and the words all snippets share.
 */
import {
  extraHeaderRefusal,
  FORTELLIS_HEADERS,
  type FortellisRequestParts,
  headerValueRefusal,
  HTTP_METHODS,
  JSON_MEDIA_TYPE,
  METHODS_WITH_BODY,
} from '../apiRequests/fortellisHeaders';
import { ENVIRONMENT_VARIABLES } from '../tokenExport/environmentVariables';

/** Where a snippet's token comes from: FORTELLIS_TOKEN when it runs (the default), or written into it. */
export type SnippetToken = { readonly from: 'environment' } | { readonly from: 'literal'; readonly value: string; readonly expiresAt: Date };

/** The snippet holds the URL normalized (see snippetUrl); it makes its own Request-Id each time it runs. */
export interface RequestSnippetSpec extends Omit<FortellisRequestParts, 'requestId'> {
  readonly token: SnippetToken;
}

/**
 * The Request-Id header's value in a snippet: each language writes its standard library's new UUID, made when the
 * snippet runs, so every run sends its own (Fortellis wants one per request).
 */
export const NEW_REQUEST_ID: unique symbol = Symbol('a new Request-Id');

/** A header's value: sent as it is, or NEW_REQUEST_ID. */
export type SnippetHeaderValue = string | typeof NEW_REQUEST_ID;

export interface SnippetRequest {
  readonly method: string;
  /** In the form every snippet's HTTP client sends unchanged: see {@link snippetUrl}. */
  readonly url: string;
  /**
   * Subscription-Id, Request-Id and Accept, in this order, then the extra headers. Authorization and Content-Type are
   * set apart: languages set them their own way.
   */
  readonly headers: ReadonlyArray<readonly [name: string, value: SnippetHeaderValue]>;
  readonly body?: { readonly text: string; readonly contentType: string };
  readonly token: SnippetToken;
}

/** The scheme of the Authorization header. */
export const BEARER = 'Bearer';

/** Why a snippet stops when the token is missing; some shells put the variable's name before it. */
export const MISSING_TOKEN_REASON = 'is not set: run "Fortellis: Get Fortellis Token" in VS Code, then run this from its integrated terminal.';

/** What a snippet prints when FORTELLIS_TOKEN is not set. */
export const MISSING_TOKEN_MESSAGE = `${ENVIRONMENT_VARIABLES.token} ${MISSING_TOKEN_REASON}`;

/**
 * Checks the spec (method, a body only where a method has one, header values and extra headers as Call checks them:
 * headerValueRefusal, extraHeaderRefusal) and normalizes its URL.
 */
export function snippetRequest(spec: RequestSnippetSpec): SnippetRequest {
  if (!HTTP_METHODS.includes(spec.method)) {
    throw new Error(`Unsupported HTTP method "${spec.method}": use one of ${HTTP_METHODS.join(', ')}.`);
  }
  if (spec.body !== undefined && !METHODS_WITH_BODY.includes(spec.method)) {
    throw new Error(`A ${spec.method} request has no body: only ${METHODS_WITH_BODY.join(', ')} requests do.`);
  }
  for (const [name] of spec.extraHeaders ?? []) {
    const refusal = extraHeaderRefusal(name, spec.body !== undefined);
    if (refusal) {
      throw new Error(refusal);
    }
  }
  const headers: Array<[string, SnippetHeaderValue]> = [
    [FORTELLIS_HEADERS.subscriptionId, spec.subscriptionId],
    [FORTELLIS_HEADERS.requestId, NEW_REQUEST_ID],
    [FORTELLIS_HEADERS.accept, spec.accept ?? JSON_MEDIA_TYPE],
    ...(spec.extraHeaders ?? []).map(([name, value]): [string, string] => [name, value]),
  ];
  const contentType = spec.contentType ?? JSON_MEDIA_TYPE;
  const values: Array<[string, string]> = [
    ...headers.flatMap(([name, value]): Array<[string, string]> => (typeof value === 'string' ? [[name, value]] : [])),
    [FORTELLIS_HEADERS.contentType, contentType],
  ];
  if (spec.token.from === 'literal') {
    values.push([FORTELLIS_HEADERS.authorization, spec.token.value]);
  }
  for (const [name, value] of values) {
    const refusal = headerValueRefusal(name, value);
    if (refusal) {
      throw new Error(refusal);
    }
  }
  return {
    method: spec.method,
    url: snippetUrl(spec.url),
    headers,
    body: spec.body === undefined ? undefined : { text: spec.body, contentType },
    token: spec.token,
  };
}

/** Characters every client sends as they are: RFC 3986's unreserved and reserved ones, and % of valid escapes. */
const SENT_AS_IS = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/;
const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * The URL as curl, requests, fetch, HttpClient (Java, .NET), net/http and httpyac all send it unchanged, so every
 * snippet makes the same request: WHATWG-parsed (dot segments resolved, spaces and non-ASCII percent-encoded), without
 * the fragment (never sent), with `{ } | ^ [ ] \` (and ' in the query) percent-encoded, a stray % written %25, escapes
 * of unreserved characters decoded and the others upper-cased (RFC 3986 §6.2.2). Throws on what is not an http(s) URL.
 */
export function snippetUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new Error(`Not a URL: ${input}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`Not an http(s) URL: ${input}`);
  }
  if (url.username || url.password) {
    throw new Error('Put no user name or password in the URL: Fortellis requests authenticate with the Bearer token.');
  }
  return `${url.protocol}//${url.host}${normalizedEscapes(url.pathname, '')}${normalizedEscapes(url.search, "'")}`;
}

function normalizedEscapes(part: string, alsoEncoded: string): string {
  return part
    .replace(/%(?![0-9A-Fa-f]{2})/g, '%25')
    .replace(/%([0-9A-Fa-f]{2})/g, (_, digits: string) => {
      const char = String.fromCharCode(parseInt(digits, 16));
      return UNRESERVED.test(char) ? char : `%${digits.toUpperCase()}`;
    })
    .replace(/[^]/gu, (char) => (SENT_AS_IS.test(char) && !alsoEncoded.includes(char) ? char : percentEncoded(char)));
}

function percentEncoded(char: string): string {
  return char === "'" ? '%27' : encodeURIComponent(char);
}

/** How a language writes a header's value: `literal(value)`, or `newRequestId`, its expression for a new UUID. */
export function headerValueText(value: SnippetHeaderValue, literal: (text: string) => string, newRequestId: string): string {
  return value === NEW_REQUEST_ID ? newRequestId : literal(value);
}

/**
 * The comment every snippet starts with: how to run it, and where its token comes from (or when the token written
 * into it expires).
 */
/**
 * Where a snippet that reads the token from its environment gets it: the file FORTELLIS_TOKEN_FILE names when it can be
 * read (the extension rewrites it on every renewal, so a terminal opened before one still works), else FORTELLIS_TOKEN.
 */
export const ENVIRONMENT_TOKEN_NOTE = `The token is read from the file ${ENVIRONMENT_VARIABLES.tokenFile} names (kept fresh, so a terminal opened before a renewal still works), else from ${ENVIRONMENT_VARIABLES.token}: "Fortellis: Get Fortellis Token" gives both to VS Code's integrated terminals.`;

export function snippetComment(request: SnippetRequest, howToRun: string, fromEnvironment = ENVIRONMENT_TOKEN_NOTE): string[] {
  const token =
    request.token.from === 'literal'
      ? `The token below is written into this file and expires at ${request.token.expiresAt.toISOString()}: do not commit it.`
      : fromEnvironment;
  return [`Fortellis API request. ${howToRun}`, token];
}
