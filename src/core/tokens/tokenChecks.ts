/**
 * Inspect Token: what a token says (header and claims, decoded with jose) and whether the Fortellis gateway would
 * accept it, one check at a time: signature (against the issuer's published keys), issuer, audience, expiry.
 */
import { countdownLabel } from './countdown';
import { INTERNAL_ISSUERS, PRODUCTION_ISSUER, withoutTrailingSlash } from '../profiles/environments';
import type { HttpOptions } from '../http/limitedFetch';
import { fetchSigningKeys } from './signingKeys';

export type TokenCheckName = 'signature' | 'issuer' | 'audience' | 'expiry';

export interface TokenCheck {
  readonly name: TokenCheckName;
  readonly ok: boolean;
  /** What was found, and on failure what was expected. */
  readonly detail: string;
}

export interface TokenInspection {
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
  readonly issuedAt?: Date;
  readonly expiresAt?: Date;
  readonly notBefore?: Date;
  /** Until exp; negative once expired. */
  readonly timeLeftMs?: number;
  /** In the order signature, issuer, audience, expiry. */
  readonly checks: TokenCheck[];
}

export interface TokenExpectations {
  /** The profile's issuer: the token must come from it and be signed with its keys. */
  readonly issuer: string;
  readonly audience: 'api_providers';
}

export interface TokenInspectionOptions extends HttpOptions {
  readonly now?: Date;
}

/** The text is not a JWT: nothing can be decoded from it. */
export class NotAJwtError extends Error {
  constructor(reason: string) {
    super(`This is not a JWT: ${reason}. Fortellis access tokens are JWTs (three base64url parts joined by dots); an opaque token cannot be inspected.`);
    this.name = 'NotAJwtError';
  }
}

/**
 * Decodes `input` (a pasted "Bearer " prefix and whitespace are ignored) and checks it against `expected`.
 * Throws NotAJwtError for text that is not a JWT; a failed check (even an unreachable keys endpoint) is reported
 * in `checks`, never thrown.
 */
export async function inspectToken(input: string, expected: TokenExpectations, options: TokenInspectionOptions): Promise<TokenInspection> {
  const token = input
    .trim()
    .replace(/^Bearer\s+/i, '')
    .replace(/\s+/g, '');
  const jose = await import('jose');
  const { header, claims } = decode(token, jose);
  const now = (options.now ?? new Date()).getTime();
  const issuedAt = dateOf(claims.iat);
  const expiresAt = dateOf(claims.exp);
  const notBefore = dateOf(claims.nbf);
  return {
    header,
    claims,
    ...(issuedAt && { issuedAt }),
    ...(expiresAt && { expiresAt, timeLeftMs: expiresAt.getTime() - now }),
    ...(notBefore && { notBefore }),
    checks: [
      await signatureCheck(token, header, expected.issuer, options, jose),
      issuerCheck(claims.iss, expected.issuer),
      audienceCheck(claims, expected.audience),
      expiryCheck(expiresAt, notBefore, now),
    ],
  };
}

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });

function decode(token: string, jose: Jose): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  if (token.length === 0) {
    throw new NotAJwtError('there is nothing to inspect');
  }
  const parts = token.split('.').length;
  if (parts === 5) {
    throw new NotAJwtError('it has 5 parts, so it is encrypted (JWE) and only its recipient can read it');
  }
  if (parts !== 3) {
    throw new NotAJwtError(`it has ${parts} part${parts === 1 ? '' : 's'} separated by dots, not 3`);
  }
  let header: Record<string, unknown>;
  try {
    header = jose.decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    throw new NotAJwtError('its first part is not a base64url-encoded JSON header');
  }
  try {
    return { header, claims: jose.decodeJwt(token) as Record<string, unknown> };
  } catch {
    throw new NotAJwtError('its second part is not a base64url-encoded JSON object of claims');
  }
}

async function signatureCheck(token: string, header: Record<string, unknown>, issuer: string, options: HttpOptions, jose: Jose): Promise<TokenCheck> {
  const fail = (detail: string): TokenCheck => ({ name: 'signature', ok: false, detail });
  const key = typeof header.kid === 'string' ? `key "${header.kid}"` : 'a key without kid';
  if (header.alg === 'none') {
    return fail('The token is not signed (alg "none"): no gateway accepts it.');
  }
  let keys;
  try {
    keys = await fetchSigningKeys(issuer, options);
  } catch (error) {
    return fail(`Not checked: the signing keys of ${issuer} could not be fetched. ${(error as Error).message}`);
  }
  try {
    await jose.compactVerify(token, jose.createLocalJWKSet(keys.jwks as Parameters<Jose['createLocalJWKSet']>[0]));
    return { name: 'signature', ok: true, detail: `Signed with ${key} of ${issuer} (${String(header.alg)}).` };
  } catch (error) {
    if (error instanceof jose.errors.JWKSNoMatchingKey) {
      return fail(`${issuer} publishes no ${key} (${String(header.alg)}): another server signed the token, or a key ${issuer} no longer uses.`);
    }
    if (error instanceof jose.errors.JWSSignatureVerificationFailed) {
      return fail(`The signature does not match ${key} of ${issuer}: the token was altered or damaged.`);
    }
    if (error instanceof jose.errors.JWKSInvalid) {
      return fail(`Not checked: ${keys.url} does not hold a valid JWKS.`);
    }
    return fail(`Not checked: ${(error as Error).message}.`);
  }
}

function issuerCheck(iss: unknown, issuer: string): TokenCheck {
  if (typeof iss !== 'string') {
    return { name: 'issuer', ok: false, detail: `No iss claim, expected "${issuer}".` };
  }
  if (withoutTrailingSlash(iss) === withoutTrailingSlash(issuer)) {
    return { name: 'issuer', ok: true, detail: `iss is "${iss}".` };
  }
  return { name: 'issuer', ok: false, detail: `iss is "${iss}"${knownIssuer(iss)}, expected "${issuer}": the gateway answers TOKEN-ISSUER-MISMATCH.` };
}

function knownIssuer(iss: string): string {
  if (withoutTrailingSlash(iss) === PRODUCTION_ISSUER) {
    return ' (Fortellis production)';
  }
  const internal = INTERNAL_ISSUERS.find((candidate) => candidate.issuer === withoutTrailingSlash(iss));
  return internal ? ` (the Fortellis-internal ${internal.name} server)` : '';
}

function audienceCheck(claims: Record<string, unknown>, audience: string): TokenCheck {
  const { aud } = claims;
  if (aud === undefined) {
    return { name: 'audience', ok: false, detail: `No aud claim, expected "${audience}".` };
  }
  const shown = JSON.stringify(aud);
  if (aud === audience || (Array.isArray(aud) && aud.includes(audience))) {
    return { name: 'audience', ok: true, detail: `aud is ${shown}.` };
  }
  // An ID token carries the sign-in's nonce or auth_time; access tokens do not.
  const idToken = claims.nonce !== undefined || claims.auth_time !== undefined ? ' This looks like an ID token: send the access token instead.' : '';
  return { name: 'audience', ok: false, detail: `aud is ${shown}, expected "${audience}": the gateway answers TOKEN-AUDIENCE-MISMATCH.${idToken}` };
}

function expiryCheck(expiresAt: Date | undefined, notBefore: Date | undefined, now: number): TokenCheck {
  if (!expiresAt) {
    return { name: 'expiry', ok: false, detail: "No exp claim: the token's lifetime is unknown." };
  }
  if (notBefore && notBefore.getTime() > now) {
    return {
      name: 'expiry',
      ok: false,
      detail: `Not valid yet: nbf is ${countdownLabel(notBefore.getTime() - now)} from now (is this computer's clock right?).`,
    };
  }
  const left = expiresAt.getTime() - now;
  return left > 0
    ? { name: 'expiry', ok: true, detail: `Expires in ${countdownLabel(left)}.` }
    : { name: 'expiry', ok: false, detail: `${expiredAgo(-left)}.` };
}

function expiredAgo(agoMs: number): string {
  return agoMs < 1000 ? 'Expired just now' : `Expired ${countdownLabel(agoMs)} ago`;
}

function dateOf(value: unknown): Date | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? new Date(value * 1000) : undefined;
}

/**
 * The inspection as markdown: the checks (✓/✗), the times in local time with the time left, then the header and the
 * claims as JSON. It holds neither the token nor its signature.
 */
export function formatTokenInspection(inspection: TokenInspection, options: { timeZone?: string } = {}): string {
  const passed = inspection.checks.every((check) => check.ok);
  const lines = [
    '# Fortellis token',
    '',
    passed ? 'The gateway should accept this token.' : 'The gateway would refuse this token:',
    '',
    ...inspection.checks.map((check) => `- ${check.ok ? '✓' : '✗'} ${check.name}: ${check.detail}`),
    '',
  ];
  const times: Array<[string, Date | undefined, string]> = [
    ['Expires', inspection.expiresAt, timeLeft(inspection.timeLeftMs)],
    ['Issued', inspection.issuedAt, ''],
    ['Not before', inspection.notBefore, ''],
  ];
  for (const [label, date, note] of times) {
    if (date) {
      lines.push(`- ${label}: ${localTime(date, options.timeZone)}${note}`);
    }
  }
  lines.push(
    '',
    '## Header',
    '',
    '```json',
    JSON.stringify(inspection.header, null, 2),
    '```',
    '',
    '## Claims',
    '',
    '```json',
    JSON.stringify(inspection.claims, null, 2),
    '```',
    '',
  );
  return lines.join('\n');
}

function timeLeft(ms: number | undefined): string {
  if (ms === undefined) {
    return '';
  }
  return ms > 0 ? ` (${countdownLabel(ms)} left)` : ` (${expiredAgo(-ms).toLowerCase()})`;
}

/** e.g. 2025-03-01 14:05:09 GMT+1, in `timeZone` (default: this computer's). */
function localTime(date: Date, timeZone: string | undefined): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')} ${part('timeZoneName')}`;
}
