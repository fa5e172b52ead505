/**
 * The ID token of an implicit sign-in travels through the browser (the URL fragment), so, unlike the code flow's,
 * it proves nothing until its signature is checked against the issuer's published keys (OIDC Core §3.2.2.11), and
 * its at_hash binds the access token that came with it (§3.2.2.9): a token swapped in the fragment is refused.
 */
import { createHash } from 'node:crypto';
import type { HttpOptions } from '../http/limitedFetch';
import { withoutTrailingSlash } from '../profiles/environments';
import { fetchSigningKeys } from '../tokens/signingKeys';
import { checkIdToken, type IdTokenClaims, type IdTokenExpectations } from './idToken';
import { messageOf } from '../text/errorMessage';

/** Asymmetric algorithms only: "none" and HS* (a key anyone with the client id could guess at) are refused. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

export class ImplicitIdTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImplicitIdTokenError';
  }
}

/**
 * Checks the implicit flow's ID token: signature (the issuer's JWKS, `{issuer}/v1/keys`), the claims checkIdToken
 * checks (nonce, iss, aud, exp, sub), and at_hash against `accessToken`. Throws an ImplicitIdTokenError that says
 * what failed; never a token in the message.
 */
export async function verifyImplicitIdToken(idToken: string, accessToken: string, expected: IdTokenExpectations, http: HttpOptions): Promise<IdTokenClaims> {
  const jose = await import('jose');
  let header: { alg?: string };
  try {
    header = jose.decodeProtectedHeader(idToken);
  } catch {
    throw new ImplicitIdTokenError('The ID token is not a JWT: its header cannot be read.');
  }
  if (!header.alg || !ALGORITHMS.includes(header.alg)) {
    throw new ImplicitIdTokenError(`The ID token is not signed with a key the issuer publishes (alg "${String(header.alg).slice(0, 20)}"): it is refused.`);
  }
  const issuer = withoutTrailingSlash(expected.issuer);
  let keys;
  try {
    keys = await fetchSigningKeys(issuer, http);
  } catch (error) {
    throw new ImplicitIdTokenError(`The ID token's signature could not be checked: ${messageOf(error)}`);
  }
  try {
    await jose.compactVerify(idToken, jose.createLocalJWKSet(keys.jwks as Parameters<typeof jose.createLocalJWKSet>[0]), { algorithms: ALGORITHMS });
  } catch (error) {
    const reason = error instanceof jose.errors.JWKSNoMatchingKey ? `${issuer} publishes no key it was signed with` : 'its signature does not verify';
    throw new ImplicitIdTokenError(`The ID token did not come from ${issuer}: ${reason}. Sign in again; if it keeps happening, check the profile's issuer.`);
  }
  const claims = checkIdToken(idToken, expected);
  if (typeof claims.at_hash !== 'string') {
    throw new ImplicitIdTokenError('The ID token has no at_hash, so nothing ties the access token to it: the sign-in is refused.');
  }
  if (claims.at_hash !== accessTokenHash(accessToken, header.alg)) {
    throw new ImplicitIdTokenError('The access token is not the one the ID token was issued with (at_hash does not match): the sign-in is refused.');
  }
  return claims;
}

/** at_hash: the left half of the hash (the alg's SHA-2 size) of the access token's ASCII, base64url-encoded. */
export function accessTokenHash(accessToken: string, alg: string): string {
  const bits = alg.endsWith('512') ? 512 : alg.endsWith('384') ? 384 : 256;
  const digest = createHash(`sha${bits}`).update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
