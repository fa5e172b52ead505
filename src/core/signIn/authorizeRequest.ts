/** The browser half of a user sign-in: the {issuer}/v1/authorize URL and the values the callback is checked against. */
import { randomBytes } from 'node:crypto';
import { transportProblem } from '../http/urlPolicy';
import { withoutTrailingSlash } from '../profiles/environments';
import { createPkce } from './pkce';

/** `code` is the authorization code flow; the other two are the legacy implicit flow (tokens in the URL fragment). */
export type SignInResponseType = 'code' | 'id_token token' | 'token';

export interface AuthorizeRequestInput {
  readonly issuer: string;
  /** The app's API key. */
  readonly clientId: string;
  /** Must equal a Callback URL registered for the app, character for character (a trailing slash matters). */
  readonly redirectUri: string;
  /** e.g. ['openid'], plus 'offline_access' for a refresh token. */
  readonly scopes: readonly string[];
  readonly responseType: SignInResponseType;
  /** Adds an S256 code challenge; applies to the code flow only. */
  readonly pkce: boolean;
  readonly responseMode?: 'form_post';
}

export interface AuthorizeRequest {
  /** Where the sign-in goes: its callback must not name another issuer. */
  readonly issuer: string;
  /** Open this in the browser. */
  readonly url: string;
  /** The callback must carry it back: anything else is forged or stale. */
  readonly state: string;
  /** Must come back inside the id_token. */
  readonly nonce: string;
  /** Secret until the code exchange; present when PKCE applies. */
  readonly codeVerifier?: string;
  readonly redirectUri: string;
  readonly responseType: SignInResponseType;
  readonly scopes: readonly string[];
}

export function buildAuthorizeRequest(input: AuthorizeRequestInput): AuthorizeRequest {
  checkScopes(input.scopes, input.responseType);
  const state = randomValue();
  const nonce = randomValue();
  const pkce = input.pkce && input.responseType === 'code' ? createPkce() : undefined;
  const parameters: Array<[string, string]> = [
    ['client_id', input.clientId],
    ['response_type', input.responseType],
    ['scope', input.scopes.join(' ')],
    ['redirect_uri', input.redirectUri],
    ['state', state],
    ['nonce', nonce],
  ];
  if (pkce) {
    parameters.push(['code_challenge', pkce.challenge], ['code_challenge_method', pkce.method]);
  }
  if (input.responseMode) {
    parameters.push(['response_mode', input.responseMode]);
  }
  return {
    url: `${authorizeEndpoint(input.issuer)}?${queryString(parameters)}`,
    state,
    nonce,
    issuer: withoutTrailingSlash(input.issuer),
    codeVerifier: pkce?.verifier,
    redirectUri: input.redirectUri,
    responseType: input.responseType,
    scopes: input.scopes,
  };
}

/** The user types a password on this page: https only, except on loopback (the sandbox). */
function authorizeEndpoint(issuer: string): string {
  const url = new URL(issuer);
  const insecure = transportProblem(url, 'open a sign-in page');
  if (insecure) {
    throw new Error(insecure);
  }
  return `${withoutTrailingSlash(issuer)}/v1/authorize`;
}

function checkScopes(scopes: readonly string[], responseType: SignInResponseType): void {
  if (scopes.length === 0 || scopes.some((scope) => !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope))) {
    throw new Error(`Sign-in scopes must be one or more words without spaces or quotes, e.g. openid: got "${scopes.join(' ')}".`);
  }
  if (responseType.includes('id_token') && !scopes.includes('openid')) {
    throw new Error(`response_type "${responseType}" returns an id_token, which needs the openid scope.`);
  }
}

/** 256 random bits: unguessable, so a callback carrying it can only come from this request. */
function randomValue(): string {
  return randomBytes(32).toString('base64url');
}

/** Spaces as %20, not "+": the authorize endpoint reads a query string, where "+" is not always a space. */
function queryString(parameters: ReadonlyArray<[string, string]>): string {
  return parameters.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
}
