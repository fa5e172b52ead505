/** Call API: one request to a Fortellis API with the profile's token, and the read-only text of its response. */
import { extraHeaderRefusal, FORTELLIS_HEADERS, type FortellisRequestParts, headerValueRefusal, JSON_MEDIA_TYPE } from './fortellisHeaders';
import { gatewayErrorIn, type GatewayErrorCode } from './gatewayErrors';
import { bearerAuthorization, fetchWithLimits, headerValue, type HttpOptions, HttpRequestError, secureUrl } from '../http/limitedFetch';

export interface ApiRequest extends FortellisRequestParts {
  /** The access token, sent as `Authorization: Bearer <token>` to the URL's host only. */
  readonly token: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly statusText: string;
  readonly elapsedMs: number;
  /** In the order received. */
  readonly headers: Array<[string, string]>;
  readonly bodyText: string;
  /** The body was longer than MAX_API_RESPONSE_BYTES: bodyText is its beginning. */
  readonly truncated: boolean;
  /** The Request-Id the response carries, else the one sent. */
  readonly requestId: string;
  /** The Fortellis gateway error code an error response names, with what to do about it. */
  readonly gatewayError?: { readonly code: GatewayErrorCode; readonly hint: string };
}

/** Enough for any page of results; beyond it the response is shown truncated. */
export const MAX_API_RESPONSE_BYTES = 5 * 1024 * 1024;

/**
 * Sends the request with the Fortellis headers. Refuses plain http except to this machine and follows no redirect,
 * so the token reaches the URL's host only. Rejects with an HttpRequestError when no HTTP answer came.
 */
export async function sendApiRequest(request: ApiRequest, options: HttpOptions): Promise<ApiResponse> {
  const url = secureUrl(request.url, 'send your token');
  const method = request.method.trim().toUpperCase();
  if (!/^[A-Z]+$/.test(method)) {
    throw new HttpRequestError('invalid-request', 'The method must be one word such as GET or POST.');
  }
  if (request.body !== undefined && (method === 'GET' || method === 'HEAD')) {
    throw new HttpRequestError('invalid-request', `A ${method} request cannot carry a body: use POST, PUT or PATCH, or leave the body out.`);
  }
  const headers = Object.fromEntries(apiRequestHeaders(request));
  const answer = await fetchWithLimits(url, { method, headers, body: request.body }, { ...options, maxBodyBytes: MAX_API_RESPONSE_BYTES });
  const gatewayError = answer.status >= 400 ? gatewayErrorIn(answer.bodyText) : undefined;
  return {
    ...answer,
    requestId: headerValue(answer.headers, FORTELLIS_HEADERS.requestId) ?? request.requestId,
    ...(gatewayError && { gatewayError }),
  };
}

/**
 * The headers the request is sent with, in order: Authorization, Subscription-Id (unless ''), Request-Id, Accept,
 * Content-Type (with a body), then the extra headers. Throws an HttpRequestError on a value a header cannot carry or
 * an extra header extraHeaderRefusal refuses. Copy as curl lists these too, so it copies what was sent.
 */
export function apiRequestHeaders(request: ApiRequest): Array<[string, string]> {
  const headers: Array<[string, string]> = [
    [FORTELLIS_HEADERS.authorization, bearerAuthorization(request.token)],
    ...(request.subscriptionId !== ''
      ? [[FORTELLIS_HEADERS.subscriptionId, headerField(FORTELLIS_HEADERS.subscriptionId, request.subscriptionId)] as [string, string]]
      : []),
    [FORTELLIS_HEADERS.requestId, headerField(FORTELLIS_HEADERS.requestId, request.requestId)],
    [FORTELLIS_HEADERS.accept, headerField(FORTELLIS_HEADERS.accept, request.accept ?? JSON_MEDIA_TYPE)],
  ];
  if (request.body !== undefined) {
    headers.push([FORTELLIS_HEADERS.contentType, headerField(FORTELLIS_HEADERS.contentType, request.contentType ?? JSON_MEDIA_TYPE)]);
  }
  for (const [name, value] of request.extraHeaders ?? []) {
    const refusal = extraHeaderRefusal(name, request.body !== undefined);
    if (refusal) {
      throw new HttpRequestError('invalid-request', refusal);
    }
    headers.push([name, headerField(name, value)]);
  }
  return headers;
}

/** Gateway answers a new token can fix: the token expired, or was refused as not valid (a 401 without a code too). */
const RENEWABLE_CODES: ReadonlySet<string> = new Set(['TOKEN-EXPIRED', 'INVALID-TOKEN']);

export function tokenRefused(response: ApiResponse): boolean {
  return response.status === 401 && (response.gatewayError === undefined || RENEWABLE_CODES.has(response.gatewayError.code));
}

export interface RenewedCall {
  readonly request: ApiRequest;
  readonly response: ApiResponse;
  /** Set when the first answer refused the token and the request was sent again with a renewed one. */
  readonly retried?: { readonly status: number; readonly code: string | undefined; readonly requestId: string };
}

/**
 * Sends the request; when the gateway refuses the token as expired or invalid, gets a new one from `renewToken` and
 * sends the request once more, with a new Request-Id. Never more than one retry.
 */
export async function sendRenewingOnce(
  request: ApiRequest,
  renewToken: () => Promise<string>,
  newRequestId: () => string,
  options: HttpOptions,
): Promise<RenewedCall> {
  const first = await sendApiRequest(request, options);
  if (!tokenRefused(first)) {
    return { request, response: first };
  }
  const again: ApiRequest = { ...request, token: await renewToken(), requestId: newRequestId() };
  return {
    request: again,
    response: await sendApiRequest(again, options),
    retried: { status: first.status, code: first.gatewayError?.code, requestId: first.requestId },
  };
}

/** The line the response view and the notification use for a retry. */
export function retryNote(retried: NonNullable<RenewedCall['retried']>): string {
  return `The gateway refused the token (HTTP ${retried.status}${retried.code ? ` ${retried.code}` : ''}, Request-Id ${retried.requestId}): it was renewed and the request sent once more.`;
}

function headerField(name: string, value: string): string {
  const refusal = headerValueRefusal(name, value);
  if (refusal) {
    throw new HttpRequestError('invalid-request', refusal);
  }
  return value;
}
