/**
 * The Fortellis API gateway's error codes, each with a one-line hint on its likely cause and fix.
 * The body shape of gateway errors is not documented, so codes are recognised wherever they appear in a body.
 */
export const GATEWAY_ERROR_HINTS = {
  'API-DOES-NOT-EXIST': 'No API is published at this path: check the URL, including the -test namespace and the API base path.',
  'UNAUTHORIZED-API-ACCESS': 'This API is not added to your app: add it to the app in Fortellis, or use the API key of an app that has it.',
  'TOKEN-EXPIRED': 'The token has expired: run "Fortellis: Renew Token" (tokens live about an hour; the extension renews them before expiry).',
  'TOKEN-ISSUER-MISMATCH':
    'The token comes from another authorization server (a dev/qat/demo or the deprecated api.accounts one): get it from the production issuer.',
  'TOKEN-AUDIENCE-MISMATCH': 'The token was not issued for Fortellis APIs (aud must be api_providers): get an app token with scope=anonymous.',
  'INVALID-TOKEN': 'The gateway could not validate the token: check that the whole token was sent after "Bearer ", not an ID token or a truncated copy.',
  'QUOTA-EXCEEDED': 'The app has used up its call quota for this API: wait for the quota window to reset or ask the API provider for more.',
  'MISSING-AUTHORIZATION': 'No Authorization header reached the gateway: send "Authorization: Bearer <token>".',
  'MISSING-SUBSCRIPTION-ID': 'No Subscription-Id header: set the profile\'s Subscription-Id ("test" gives sample data on many APIs).',
  'API-SUBSCRIPTION-INACTIVE': 'The subscription is not active: the dealer must activate it in Fortellis, or pick an active Subscription-Id.',
  'SUBSCRIPTION-MISMATCH': "The Subscription-Id does not belong to this app or does not include this API: pick one of the app's subscriptions.",
  'SUBSCRIBER-CONFIGURATION-PENDING': 'The subscriber has not finished configuring the subscription: try again once the dealer completes setup.',
  'API-CONFIGURATION-ERROR': "The API provider's gateway configuration is broken: report it to the API provider with the Request-Id.",
  'ROUTING-ERROR': 'The gateway could not route the request to the provider: retry, then report it with the Request-Id.',
  'PROCESSING-ERROR': 'The gateway failed while processing the request: retry, then report it with the Request-Id.',
  'TARGET-SYSTEM-UNREACHABLE': "The provider's system behind the gateway is unreachable: retry later, or report it with the Request-Id.",
  'TARGET-SYSTEM-TIMED-OUT': "The provider's system did not answer in time: retry later, or narrow the request.",
  'TARGET-RESPONSE': "The error comes from the API provider's system itself: read the body for its details.",
  'PAYLOAD-TOO-BIG': 'The request or response body is larger than the gateway allows: send less data, or page through the results.',
} as const satisfies Record<string, string>;

export type GatewayErrorCode = keyof typeof GATEWAY_ERROR_HINTS;

export const GATEWAY_ERROR_CODES = Object.keys(GATEWAY_ERROR_HINTS) as GatewayErrorCode[];

// Longest first, so that a code is never matched as part of a longer one.
const CODE_PATTERN = new RegExp(`(?<![A-Z-])(${[...GATEWAY_ERROR_CODES].sort((a, b) => b.length - a.length).join('|')})(?![A-Z-])`);

/** The first gateway error code in a response body, with its hint; undefined when the body carries none. */
export function gatewayErrorIn(body: string): { code: GatewayErrorCode; hint: string } | undefined {
  const match = CODE_PATTERN.exec(body);
  if (!match) {
    return undefined;
  }
  const code = match[1] as GatewayErrorCode;
  return { code, hint: GATEWAY_ERROR_HINTS[code] };
}
