/** The inputs the language model sends the tools, checked before anything is sent anywhere. */
import { transportProblem } from '../http/urlPolicy';
import { withoutTrailingSlash } from '../profiles/environments';

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

export const CALL_API_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type CallApiMethod = (typeof CALL_API_METHODS)[number];

/** A call_api input, resolved: an absolute URL, a JSON (or text) body. */
export interface ApiCallPlan {
  readonly method: CallApiMethod;
  readonly url: string;
  readonly body?: string;
  /** undefined: the profile's default. */
  readonly subscriptionId?: string;
}

const fail = (problem: string): { ok: false; problem: string } => ({ ok: false, problem });

function asObject(raw: unknown): Record<string, unknown> | undefined {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
}

/** A relative URL on a profile that trusts no API base: what the user must set. */
export const NO_API_BASE =
  'This profile has no API base, so a path cannot be resolved and no host is trusted with the token: give a full URL (the user is asked before the token goes to its host), or ask the user to set "apiBaseUrl" in the Custom profile (setting "fortellis.profiles").';

/**
 * Checks a call_api input against the profile's trusted API base (`trustedApiBase`; undefined: the profile has none):
 * `url` is a full https URL (http only to this machine) or a path relative to that base; `body` a string or any JSON
 * value (sent as JSON).
 */
export function checkCallApiInput(raw: unknown, trustedBase: string | undefined): Checked<ApiCallPlan> {
  const input = asObject(raw);
  if (!input) {
    return fail('The input must be an object with "method" and "url".');
  }
  const method = typeof input.method === 'string' ? input.method.trim().toUpperCase() : '';
  if (!(CALL_API_METHODS as readonly string[]).includes(method)) {
    return fail(`"method" must be one of ${CALL_API_METHODS.join(', ')}.`);
  }
  if (typeof input.url !== 'string' || input.url.trim() === '') {
    return fail(
      trustedBase === undefined
        ? `"url" must be a full URL. ${NO_API_BASE}`
        : `"url" must be a full URL or a path relative to the API base ${withoutTrailingSlash(trustedBase)}, e.g. "/cdk-test/sales/v1/vehicles".`,
    );
  }
  const url = resolveApiUrl(input.url.trim(), trustedBase);
  if (!url.ok) {
    return url;
  }
  let body: string | undefined;
  if (input.body !== undefined && input.body !== null) {
    body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
    if (method === 'GET') {
      return fail('A GET request cannot carry a body: use POST, PUT or PATCH, or leave "body" out.');
    }
  }
  if (input.subscriptionId !== undefined && (typeof input.subscriptionId !== 'string' || !/^[\x20-\x7e]*$/.test(input.subscriptionId))) {
    return fail('"subscriptionId" must be a string of printable ASCII characters.');
  }
  const subscriptionId = typeof input.subscriptionId === 'string' && input.subscriptionId.trim() !== '' ? input.subscriptionId.trim() : undefined;
  return {
    ok: true,
    value: { method: method as CallApiMethod, url: url.value, ...(body !== undefined && { body }), ...(subscriptionId && { subscriptionId }) },
  };
}

/** A full URL as given, or a path (with or without a leading slash) joined to the trusted API base; a path without one is refused. */
export function resolveApiUrl(input: string, trustedBase: string | undefined): Checked<string> {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(input);
  if (!absolute && trustedBase === undefined) {
    return fail(`"${input}" is a path. ${NO_API_BASE}`);
  }
  const base = trustedBase === undefined ? '' : withoutTrailingSlash(trustedBase);
  let url: URL;
  try {
    url = new URL(absolute ? input : `${base}/${input.replace(/^\/+/, '')}`);
  } catch {
    return fail(trustedBase === undefined ? `"${input}" is not a valid URL.` : `"${input}" is neither a full URL nor a path relative to the API base ${base}.`);
  }
  const insecure = transportProblem(url, 'send the token');
  return insecure ? fail(insecure) : { ok: true, value: url.href };
}

/** explain_error's input: a gateway error code, or a whole error body. */
export function checkExplainErrorInput(raw: unknown): Checked<string> {
  const input = asObject(raw);
  const error = input?.error;
  if (typeof error === 'string' && error.trim() !== '') {
    return { ok: true, value: error.trim() };
  }
  if (error !== undefined && error !== null && typeof error === 'object') {
    return { ok: true, value: JSON.stringify(error) };
  }
  return fail('"error" must be a Fortellis gateway error code (e.g. "SUBSCRIPTION-MISMATCH") or the whole error response body.');
}

/** decode_token's input: a JWT (a "Bearer " prefix and whitespace are ignored). */
export function checkDecodeTokenInput(raw: unknown): Checked<string> {
  const token = asObject(raw)?.token;
  if (typeof token === 'string' && token.trim() !== '') {
    return {
      ok: true,
      value: token
        .trim()
        .replace(/^Bearer\s+/i, '')
        .replace(/\s+/g, ''),
    };
  }
  return fail('"token" must be the JWT to decode.');
}
