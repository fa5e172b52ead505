/**
 * The text each agent tool returns to the language model. Plain text, short, and never a token: the builders take no
 * token, and every result still goes through redactToolResult.
 */
import { type ApiResponse, MAX_API_RESPONSE_BYTES, type RenewedCall } from '../apiRequests/apiCall';
import { GATEWAY_ERROR_CODES, GATEWAY_ERROR_HINTS, gatewayErrorIn } from '../apiRequests/gatewayErrors';
import type { Subscription } from '../apiRequests/subscriptions';
import { headerValue } from '../http/limitedFetch';
import { ENVIRONMENT_LABELS, type Environment } from '../profiles/environments';
import type { Profile } from '../profiles/profiles';
import { countdownLabel } from '../tokens/countdown';
import { jwtClaims } from '../tokens/jwt';
import type { IssuedToken } from '../tokens/token';
import type { TokenInspection } from '../tokens/tokenChecks';
import type { ApiCallPlan } from './agentToolInputs';
import { withoutCredentialHeaders } from './agentResultRedaction';

/** The most of a response body a result carries; the result says when it was cut. */
export const AGENT_BODY_CAP_BYTES = 16 * 1024;

/** The first `maxBytes` of `text` in UTF-8, never cutting a character in two. */
export function capUtf8(text: string, maxBytes: number): { text: string; bytes: number; capped: boolean } {
  const encoded = Buffer.from(text, 'utf8');
  if (encoded.length <= maxBytes) {
    return { text, bytes: encoded.length, capped: false };
  }
  let end = maxBytes;
  // Back up to the start of a character (continuation bytes are 10xxxxxx).
  while (end > 0 && (encoded[end] & 0xc0) === 0x80) {
    end--;
  }
  return { text: encoded.subarray(0, end).toString('utf8'), bytes: encoded.length, capped: true };
}

export interface CallApiOutcome {
  readonly plan: ApiCallPlan;
  readonly profile: Profile;
  /** The Subscription-Id sent ('' for none). */
  readonly subscriptionId: string;
  readonly response: ApiResponse;
  readonly retried?: RenewedCall['retried'];
}

export function callApiResult({ plan, profile, subscriptionId, response, retried }: CallApiOutcome, capBytes = AGENT_BODY_CAP_BYTES): string {
  const lines = [
    `${plan.method} ${plan.url} → HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} in ${response.elapsedMs} ms`,
    `Profile: ${profile.name}; Subscription-Id: ${subscriptionId === '' ? '(none sent)' : subscriptionId}; Request-Id: ${response.requestId}`,
  ];
  if (retried) {
    lines.push(
      `The gateway first refused the token (HTTP ${retried.status}${retried.code ? ` ${retried.code}` : ''}, Request-Id ${retried.requestId}): the token was renewed and the request sent once more.`,
    );
  }
  if (response.gatewayError) {
    lines.push(`Fortellis gateway error ${response.gatewayError.code}: ${response.gatewayError.hint}`);
  }
  const location = response.status >= 300 && response.status < 400 ? headerValue(response.headers, 'location') : undefined;
  if (location) {
    lines.push(`Redirect to ${location} not followed: the token is sent only to the URL asked for.`);
  }
  lines.push('', 'Response headers:', ...withoutCredentialHeaders(response.headers).map(([name, value]) => `${name}: ${value}`), '');
  const received = Buffer.byteLength(response.bodyText, 'utf8');
  const body = capUtf8(prettyJson(response.bodyText, response.truncated), capBytes);
  if (received === 0) {
    lines.push('Body: (empty)');
  } else if (body.capped || response.truncated) {
    const total = response.truncated ? `more than ${MAX_API_RESPONSE_BYTES} bytes` : `${received} bytes`;
    lines.push(`Body (${total} received; capped: only the first ${capBytes} bytes are shown here):`, body.text);
  } else {
    lines.push(`Body (${received} bytes received, complete; results are capped at ${capBytes} bytes):`, body.text);
  }
  return lines.join('\n');
}

function prettyJson(text: string, truncated: boolean): string {
  if (!truncated) {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // Not JSON: as received.
    }
  }
  return text;
}

export interface TokenStatusFacts {
  readonly profile: Profile;
  readonly environment: Environment;
  readonly appToken: IssuedToken | undefined;
  readonly userToken: IssuedToken | undefined;
  readonly profileCount: number;
  readonly now: number;
}

export function tokenStatusResult({ profile, environment, appToken, userToken, profileCount, now }: TokenStatusFacts): string {
  const lines = [
    `Active profile: ${profile.name} (${profileCount} profile${profileCount === 1 ? '' : 's'} in all)`,
    `Environment: ${ENVIRONMENT_LABELS[environment.kind]}; issuer ${environment.issuer}; API base ${environment.apiBaseUrl}`,
    `API key (client id): ${profile.apiKey}`,
    `Default Subscription-Id: ${profile.subscriptionId ?? '(none)'}`,
    '',
    tokenLines(
      'App token (client credentials)',
      appToken,
      now,
      'none cached. It is requested on the next API call; if that fails, the user runs "Fortellis: Get Fortellis Token".',
    ),
    tokenLines('User token (browser sign-in)', userToken, now, 'none: the user has not signed in with the browser ("Fortellis: Sign In with Browser").'),
    '',
    'The tokens themselves are never shown to the model; fortellis_call_api uses them.',
  ];
  return lines.join('\n');
}

function tokenLines(title: string, token: IssuedToken | undefined, now: number, none: string): string {
  if (!token) {
    return `${title}: ${none}`;
  }
  const claims = jwtClaims(token.accessToken) ?? {};
  const scopes = token.scope ?? (Array.isArray(claims.scp) ? claims.scp.join(' ') : typeof claims.scope === 'string' ? claims.scope : '(none stated)');
  const left = token.expiresAt - now;
  const parts = [
    `${title}:`,
    `- subject: ${typeof claims.sub === 'string' ? claims.sub : '(no sub claim)'}`,
    `- scopes: ${scopes}`,
    `- expires: ${new Date(token.expiresAt).toISOString()} (${left > 0 ? `in ${countdownLabel(left)}` : 'expired'})`,
  ];
  if (token.refreshToken !== undefined) {
    parts.push('- renewable with its refresh token');
  }
  return parts.join('\n');
}

export function subscriptionsResult(subscriptions: readonly Subscription[], subscriptionsUrl: string, profile: Profile): string {
  if (subscriptions.length === 0) {
    return `${subscriptionsUrl} lists no subscriptions for profile "${profile.name}" (API key ${profile.apiKey}): a dealer must subscribe to the app in Fortellis first.`;
  }
  const lines = [`Subscriptions of profile "${profile.name}" (API key ${profile.apiKey}), from ${subscriptionsUrl}:`];
  for (const subscription of subscriptions) {
    const marks = [
      subscription.status ? `status ${subscription.status}` : 'status unknown',
      subscription.orgName ? `org "${subscription.orgName}"` : undefined,
      subscription.orgId ? `orgId ${subscription.orgId}` : undefined,
      subscription.subscriptionId === profile.subscriptionId ? "the profile's default" : undefined,
    ].filter(Boolean);
    lines.push(`- ${subscription.subscriptionId}: ${marks.join(', ')}`);
  }
  lines.push('', 'Pass one as "subscriptionId" to fortellis_call_api. Only active subscriptions can be called.');
  return lines.join('\n');
}

/** A gateway code, or an error body: the code, its cause and fix, and what else the body says. */
export function explainErrorResult(input: string): string {
  const asCode = /^[a-z-]+$/i.test(input) ? input.toUpperCase() : input;
  const found = gatewayErrorIn(asCode);
  if (!found) {
    return [
      'No Fortellis gateway error code was found in that input. The gateway answers errors with one of these codes:',
      ...GATEWAY_ERROR_CODES.map((code) => `- ${code}: ${GATEWAY_ERROR_HINTS[code]}`),
      "An error without one of them comes from the API provider's own system: read its body.",
    ].join('\n');
  }
  const lines = [`${found.code}: ${found.hint}`];
  const details = errorBodyDetails(input);
  if (details.message) {
    lines.push(`The body's message: ${details.message}`);
  }
  if (details.requestId) {
    lines.push(`Request-Id: ${details.requestId} (quote it when reporting the error to the API provider).`);
  }
  return lines.join('\n');
}

function errorBodyDetails(input: string): { message?: string; requestId?: string } {
  try {
    const body = JSON.parse(input) as Record<string, unknown>;
    return {
      ...(typeof body.message === 'string' && { message: body.message }),
      ...(typeof body.requestId === 'string' && { requestId: body.requestId }),
    };
  } catch {
    return {};
  }
}

/** The claims and the four checks; neither the token nor its signature. */
export function decodeTokenResult(inspection: TokenInspection, expectedIssuer: string, issuerSource: string): string {
  const passed = inspection.checks.every((check) => check.ok);
  const lines = [
    passed ? 'The Fortellis gateway should accept this token.' : 'The Fortellis gateway would refuse this token:',
    ...inspection.checks.map((check) => `- ${check.ok ? 'PASS' : 'FAIL'} ${check.name}: ${check.detail}`),
    `(Checked against the issuer ${expectedIssuer}, ${issuerSource}.)`,
  ];
  if (inspection.expiresAt) {
    lines.push(`Expires: ${inspection.expiresAt.toISOString()}`);
  }
  if (inspection.issuedAt) {
    lines.push(`Issued: ${inspection.issuedAt.toISOString()}`);
  }
  lines.push('', 'Header:', JSON.stringify(inspection.header, null, 2), '', 'Claims:', JSON.stringify(inspection.claims, null, 2));
  return lines.join('\n');
}
