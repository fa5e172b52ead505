/** The subscriptions of an app, from Fortellis' subscriptions API, for picking a Subscription-Id. */
import { randomUUID } from 'node:crypto';
import { FORTELLIS_HEADERS, JSON_MEDIA_TYPE } from './fortellisHeaders';
import { gatewayErrorIn } from './gatewayErrors';
import { bearerAuthorization, fetchWithLimits, type HttpOptions, secureUrl } from '../http/limitedFetch';

export interface Subscription {
  readonly subscriptionId: string;
  /** The dealer (or sample data) the subscription is for. */
  readonly orgName?: string;
  readonly orgId?: string;
  /** As Fortellis sends it, e.g. "active". */
  readonly status?: string;
}

/** The answer was not a list of subscriptions; the message says why and what to check. */
export class SubscriptionsError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SubscriptionsError';
  }
}

/** A list of subscriptions is a few KB. */
const MAX_SUBSCRIPTIONS_BYTES = 1024 * 1024;

/**
 * GETs `subscriptionsUrl` with the app's token (a client-credentials token) and returns the subscriptions, in the
 * order received. Rejects with an HttpRequestError when no HTTP answer came, else with a SubscriptionsError.
 */
export async function listSubscriptions(subscriptionsUrl: string, token: string, options: HttpOptions): Promise<Subscription[]> {
  const url = secureUrl(subscriptionsUrl, 'send your token');
  const headers = {
    [FORTELLIS_HEADERS.authorization]: bearerAuthorization(token),
    [FORTELLIS_HEADERS.accept]: JSON_MEDIA_TYPE,
    [FORTELLIS_HEADERS.requestId]: randomUUID(),
  };
  const answer = await fetchWithLimits(url, { method: 'GET', headers }, { ...options, maxBodyBytes: MAX_SUBSCRIPTIONS_BYTES });
  const { status } = answer;
  if (status >= 300 && status < 400) {
    throw new SubscriptionsError(
      `${url.host} redirected the subscriptions request (HTTP ${status}); it was not followed, so the token stays with ${url.host}. Check the subscriptions URL.`,
      status,
    );
  }
  if (status >= 400) {
    const gatewayError = gatewayErrorIn(answer.bodyText);
    throw new SubscriptionsError(
      gatewayError
        ? `${url.host} refused to list the subscriptions (HTTP ${status} ${gatewayError.code}). ${gatewayError.hint}`
        : `${url.host} answered HTTP ${status}${answer.statusText ? ` ${answer.statusText}` : ''} to the subscriptions request. Check the subscriptions URL and that the token is the app's (client credentials).`,
      status,
    );
  }
  if (answer.truncated) {
    throw new SubscriptionsError(
      `${url.host} sent more than ${MAX_SUBSCRIPTIONS_BYTES / (1024 * 1024)} MB: that is not a list of subscriptions. Check the subscriptions URL.`,
      status,
    );
  }
  return subscriptionsIn(answer.bodyText, url.host, status);
}

function subscriptionsIn(bodyText: string, host: string, status: number): Subscription[] {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    const what = bodyText.trim().length === 0 ? 'an empty body' : /^\s*</.test(bodyText) ? 'an HTML page' : 'a body that is not JSON';
    throw new SubscriptionsError(
      `${host} answered with ${what} instead of a JSON list of subscriptions. Check the subscriptions URL (it ends with /v1/solution/subscriptions).`,
      status,
    );
  }
  const list = typeof body === 'object' && body !== null ? (body as { subscriptions?: unknown }).subscriptions : undefined;
  if (!Array.isArray(list)) {
    throw new SubscriptionsError(
      `${host} answered JSON without a "subscriptions" list. Check the subscriptions URL (it ends with /v1/solution/subscriptions).`,
      status,
    );
  }
  return list.flatMap((entry: unknown) => {
    const fields = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    if (typeof fields.subscriptionId !== 'string' || fields.subscriptionId.length === 0) {
      return [];
    }
    return [
      {
        subscriptionId: fields.subscriptionId,
        ...optionalString('orgName', fields.orgName),
        ...optionalString('orgId', fields.orgId),
        ...optionalString('status', fields.status),
      },
    ];
  });
}

function optionalString<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  return typeof value === 'string' && value.length > 0 ? ({ [key]: value } as { [P in K]: string }) : {};
}
