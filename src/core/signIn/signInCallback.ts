/** Reads the redirect that ends a browser sign-in, and tells a genuine callback from a forged, stale or replayed one. */
import type { SignInResponseType } from './authorizeRequest';
import { withoutTrailingSlash } from '../profiles/environments';
import { printable } from '../text/printable';

export interface ExpectedCallback {
  /** The state of the authorize request this callback must answer. */
  readonly state: string;
  readonly responseType: SignInResponseType;
  /**
   * The issuer the sign-in went to. A callback whose `iss` parameter (RFC 9207) names another one answers a
   * sign-in at another server (a mix-up): it is refused. Servers that send no `iss` are accepted.
   */
  readonly issuer: string;
}

export interface CodeCallback {
  readonly kind: 'code';
  readonly code: string;
}

/** Implicit flow: the tokens themselves, as the fragment (or a form_post) carried them. */
export interface TokensCallback {
  readonly kind: 'tokens';
  readonly accessToken: string;
  readonly idToken?: string;
  readonly tokenType: string;
  /** As sent; checked when the tokens become an IssuedToken. */
  readonly expiresIn: string | undefined;
  readonly scope?: string;
}

/** The authorization server's error (e.g. access_denied), or malformed_callback when the callback has no result. */
export interface ErrorCallback {
  readonly kind: 'error';
  readonly error: string;
  readonly description?: string;
}

/** Not an answer to the pending sign-in (no state, another state, or already answered): ignore it and keep waiting. */
export interface ForeignCallback {
  readonly kind: 'foreign';
}

export type SignInCallback = CodeCallback | TokensCallback | ErrorCallback | ForeignCallback;
export type AcceptedCallback = Exclude<SignInCallback, ForeignCallback>;

/**
 * `callback` is the URL the browser was sent to (query for the code flow, fragment for the implicit flow), or the
 * form fields of a POST (response_mode=form_post, or the loopback page relaying a fragment).
 */
export function parseSignInCallback(callback: string | URL | URLSearchParams, expected: ExpectedCallback): SignInCallback {
  const params = callback instanceof URLSearchParams ? callback : parametersOf(callback, expected.responseType);
  if (params === undefined || single(params, 'state') !== expected.state) {
    return { kind: 'foreign' };
  }
  const iss = params.getAll('iss');
  if (iss.length > 1 || (iss.length === 1 && withoutTrailingSlash(iss[0]) !== withoutTrailingSlash(expected.issuer))) {
    return {
      kind: 'error',
      error: 'issuer_mismatch',
      description: `the callback names ${iss.length === 1 ? printable(iss[0]) : 'several issuers'}, not ${withoutTrailingSlash(expected.issuer)}`,
    };
  }
  const error = single(params, 'error');
  if (error !== undefined) {
    return { kind: 'error', error, description: single(params, 'error_description') };
  }
  return expected.responseType === 'code' ? codeCallback(params) : tokensCallback(params, expected.responseType);
}

/**
 * A pending sign-in takes one answer: the first callback with its state is parsed as usual, and every later one
 * (a replay, a reload of the callback page) is 'foreign'.
 */
export function acceptOneCallback(expected: ExpectedCallback): (callback: string | URL | URLSearchParams) => SignInCallback {
  let answered = false;
  return (callback) => {
    if (answered) {
      return { kind: 'foreign' };
    }
    const parsed = parseSignInCallback(callback, expected);
    answered = parsed.kind !== 'foreign';
    return parsed;
  };
}

/** What to tell the user about an error callback. */
export function signInErrorMessage({ error, description }: ErrorCallback): string {
  const detail = description ? ` (${printable(description)})` : '';
  switch (error) {
    case 'access_denied':
      return `The sign-in was declined on the Fortellis page${detail}. Sign in again and allow access to continue.`;
    case 'invalid_scope':
      return `Fortellis refused the requested scopes${detail}. Check the app's allowed scopes, or sign in without a refresh token (offline_access).`;
    case 'unauthorized_client':
    case 'unsupported_response_type':
      return `Fortellis does not allow this app to sign in this way (${error})${detail}. Check the app's grant types on Fortellis, or switch between the code and implicit flows.`;
    case 'issuer_mismatch':
      return `The sign-in answer came from another server than the profile's issuer${detail}, so it was refused and nothing was sent. Sign in again; if it keeps happening, check the profile's issuer URL.`;
    case 'malformed_callback':
      return `The sign-in callback was incomplete${detail}. Sign in again.`;
    default:
      return `Fortellis refused the sign-in: ${printable(error)}${detail}.`;
  }
}

/** The response is in the query for the code flow and in the fragment for the implicit flow, unless only the other carries a state. */
function parametersOf(callback: string | URL, responseType: SignInResponseType): URLSearchParams | undefined {
  let url: URL;
  try {
    url = new URL(callback);
  } catch {
    return undefined;
  }
  const query = url.searchParams;
  const fragment = new URLSearchParams(url.hash.slice(1));
  const [usual, other] = responseType === 'code' ? [query, fragment] : [fragment, query];
  return usual.has('state') || !other.has('state') ? usual : other;
}

function codeCallback(params: URLSearchParams): AcceptedCallback {
  const code = single(params, 'code');
  return code ? { kind: 'code', code } : malformed('it has neither a code nor an error');
}

function tokensCallback(params: URLSearchParams, responseType: SignInResponseType): AcceptedCallback {
  const accessToken = single(params, 'access_token');
  const idToken = single(params, 'id_token');
  if (!accessToken) {
    return malformed('it has neither an access_token nor an error');
  }
  if (responseType.includes('id_token') && !idToken) {
    return malformed('it has no id_token');
  }
  return {
    kind: 'tokens',
    accessToken,
    idToken,
    tokenType: single(params, 'token_type') ?? 'Bearer',
    expiresIn: single(params, 'expires_in'),
    scope: single(params, 'scope'),
  };
}

function malformed(description: string): ErrorCallback {
  return { kind: 'error', error: 'malformed_callback', description };
}

/** A response parameter must not repeat (RFC 6749 §3.1): a repeated one counts as absent. */
function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  return values.length === 1 ? values[0] : undefined;
}
