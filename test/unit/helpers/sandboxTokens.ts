/** Tokens for tests of the sandbox's API gateway and of what the extension does with tokens. */
import { buildAuthorizeRequest } from '../../../src/core/signIn/authorizeRequest';
import { jwtClaims } from '../../../src/core/tokens/jwt';
import { requestAuthorizationCodeToken, requestClientCredentialsToken } from '../../../src/core/tokens/tokenRequests';
import { DEMO_CLIENT, type Sandbox } from '../../sandbox/sandboxServer';
import { SignInBrowser } from './signInBrowser';

const OPTIONS = { timeoutMs: 5000, maxAttempts: 1 };
const DEMO_CREDENTIALS = { apiKey: DEMO_CLIENT.clientId, apiSecret: DEMO_CLIENT.clientSecret };

/** An app token from the sandbox, as "Get Fortellis Token" gets it (the sandbox must know DEMO_CLIENT). */
export async function sandboxAppToken(sandbox: Sandbox): Promise<string> {
  return (await requestClientCredentialsToken(sandbox.issuer, DEMO_CREDENTIALS, OPTIONS)).accessToken;
}

/** The ID token of a sign-in on the sandbox: signed by the sandbox, but for aud=<API key>, not api_providers. */
export async function sandboxIdToken(sandbox: Sandbox): Promise<string> {
  const redirectUri = DEMO_CLIENT.redirectUris?.[0] ?? '';
  const request = buildAuthorizeRequest({
    issuer: sandbox.issuer,
    clientId: DEMO_CLIENT.clientId,
    redirectUri,
    scopes: ['openid'],
    responseType: 'code',
    pkce: true,
  });
  const landing = await new SignInBrowser().signIn(request.url, redirectUri);
  const code = landing.kind === 'redirect' ? landing.url.searchParams.get('code') : null;
  if (!code) {
    throw new Error('the sandbox sign-in gave no code');
  }
  const token = await requestAuthorizationCodeToken(sandbox.issuer, DEMO_CREDENTIALS, { code, redirectUri, codeVerifier: request.codeVerifier }, OPTIONS);
  if (!token.idToken) {
    throw new Error('the sandbox sign-in gave no id_token');
  }
  return token.idToken;
}

/** Resolves once the token's exp has passed (the gateway compares whole seconds). */
export async function untilExpired(token: string): Promise<void> {
  const exp = Number(jwtClaims(token)?.exp);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1000 - Date.now() + 50)));
}

export interface MintedToken {
  readonly token: string;
  /** The public key that verifies it, with its kid. */
  readonly publicJwk: Record<string, unknown>;
  readonly kid: string;
}

let throwawayKeys: Promise<{ privateKey: CryptoKey; publicKey: CryptoKey }> | undefined;

/**
 * A JWT signed with a throwaway RS256 key (one per test run, never the sandbox's): what another authorization
 * server, or a forger, would hand out.
 */
export async function mintToken(
  claims: { iss: string; aud: string | string[]; expiresInSeconds?: number; nbf?: number },
  kid = 'throwaway-key',
): Promise<MintedToken> {
  const jose = await import('jose');
  throwawayKeys ??= jose.generateKeyPair('RS256', { extractable: true });
  const { privateKey, publicKey } = await throwawayKeys;
  const now = Math.floor(Date.now() / 1000);
  const token = await new jose.SignJWT({ scp: ['anonymous'], cid: DEMO_CLIENT.clientId, ...(claims.nbf !== undefined && { nbf: claims.nbf }) })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(claims.iss)
    .setAudience(claims.aud)
    .setSubject(DEMO_CLIENT.clientId)
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.expiresInSeconds ?? 3600))
    .sign(privateKey);
  const publicJwk = { ...(await jose.exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { token, publicJwk, kid };
}

/** The same token with one character of its payload changed: its signature no longer matches. */
export function tampered(token: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const changed = Buffer.from(JSON.stringify({ ...claims, sub: `${String(claims.sub)}x` })).toString('base64url');
  return `${header}.${changed}.${signature}`;
}
