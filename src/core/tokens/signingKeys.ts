/** An authorization server's published signing keys (JWKS), fetched under the rules of secureHttp. */
import { jwksEndpoint } from '../profiles/environments';
import { JSON_MEDIA_TYPE } from '../apiRequests/fortellisHeaders';
import { fetchWithLimits, type HttpOptions, secureUrl } from '../http/limitedFetch';

/** A JWKS holds a few keys; anything far larger is not one. */
const MAX_JWKS_BYTES = 256 * 1024;

/** The keys endpoint answered, but not with a JWKS. */
export class SigningKeysError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeysError';
  }
}

export interface SigningKeys {
  /** Where they came from: `{issuer}/v1/keys`. */
  readonly url: string;
  readonly jwks: { readonly keys: ReadonlyArray<Record<string, unknown>> };
}

/** GETs `{issuer}/v1/keys`; rejects with an HttpRequestError (no answer) or a SigningKeysError (not a JWKS). */
export async function fetchSigningKeys(issuer: string, options: HttpOptions): Promise<SigningKeys> {
  const url = secureUrl(jwksEndpoint(issuer), 'fetch signing keys');
  const answer = await fetchWithLimits(url, { method: 'GET', headers: { Accept: JSON_MEDIA_TYPE } }, { ...options, maxBodyBytes: MAX_JWKS_BYTES });
  if (answer.status !== 200) {
    throw new SigningKeysError(
      `${url.host} answered HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''} for the signing keys at ${url.href}.`,
    );
  }
  let body: unknown;
  try {
    body = answer.truncated ? undefined : JSON.parse(answer.bodyText);
  } catch {
    // Reported below with the other bodies that are not a JWKS.
  }
  const keys = typeof body === 'object' && body !== null ? (body as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'object' && key !== null)) {
    throw new SigningKeysError(`${url.href} did not answer with a JWKS (JSON with a "keys" list).`);
  }
  return { url: url.href, jwks: { keys: keys as Array<Record<string, unknown>> } };
}
