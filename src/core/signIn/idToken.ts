/**
 * Checks the claims of an OpenID Connect ID token (OIDC Core §3.1.3.7). The signature is not verified here: in the
 * code flow the ID token comes straight from the token endpoint over TLS, which §3.1.3.7 (step 6) accepts in place
 * of a signature check. An implicit-flow ID token travels through the browser; its claims are checked the same way.
 */
import { withoutTrailingSlash } from '../profiles/environments';
import { printable } from '../text/printable';
import { jwtClaims } from '../tokens/jwt';

export interface IdTokenExpectations {
  readonly issuer: string;
  /** The app's API key: it must be an audience of the token. */
  readonly clientId: string;
  /** The nonce of the authorize request: a token minted for another sign-in (a replay) carries another one. */
  readonly nonce: string;
  /** Epoch ms. */
  readonly now: number;
}

export interface IdTokenClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string | string[];
  /** Epoch seconds. */
  readonly exp: number;
  readonly nonce: string;
  readonly [claim: string]: unknown;
}

/** Clocks differ between VS Code's machine and the server. */
const CLOCK_SKEW_SECONDS = 60;

export function checkIdToken(idToken: string, expected: IdTokenExpectations): IdTokenClaims {
  const claims = decodePayload(idToken);
  if (claims.nonce !== expected.nonce) {
    throw new Error('The ID token was issued for another sign-in (its nonce does not match): it may be replayed. Sign in again.');
  }
  const issuer = withoutTrailingSlash(expected.issuer);
  if (claims.iss !== issuer) {
    throw new Error(
      `The ID token comes from ${typeof claims.iss === 'string' ? printable(claims.iss) : 'an unnamed issuer'}, not from the profile's issuer ${issuer}. Check the profile's issuer URL.`,
    );
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(expected.clientId)) {
    throw new Error("The ID token was issued to another app (its audience is not this profile's API key).");
  }
  if (typeof claims.exp !== 'number' || claims.exp + CLOCK_SKEW_SECONDS <= expected.now / 1000) {
    throw new Error("The ID token has expired (or has no expiry). Sign in again; if it keeps happening, check this computer's clock.");
  }
  if (typeof claims.sub !== 'string') {
    throw new Error('The ID token names no user (no sub claim).');
  }
  return claims as IdTokenClaims;
}

function decodePayload(idToken: string): Record<string, unknown> {
  const parts = idToken.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) {
    throw new Error('The ID token is not a JWT (three base64url parts separated by dots).');
  }
  const claims = jwtClaims(idToken);
  if (!claims) {
    throw new Error('The ID token is not a JWT: its payload is not a JSON object.');
  }
  return claims;
}
