/** What VS Code asks the user before call_api sends a request: every non-GET, and every URL outside the API base. */
import { type ApiCallPlan, insideApiBase } from './agentToolInputs';

export interface CallApiConfirmation {
  /** Shown while the tool runs. */
  readonly invocationMessage: string;
  /** undefined: a GET under the API base, which runs without asking. */
  readonly confirmation?: { readonly title: string; readonly message: string };
}

export function callApiConfirmation(
  plan: ApiCallPlan,
  apiBaseUrl: string,
  profileName: string,
  defaultSubscriptionId: string | undefined,
): CallApiConfirmation {
  const url = new URL(plan.url);
  const inside = insideApiBase(plan.url, apiBaseUrl);
  const invocationMessage = `Fortellis: ${plan.method} ${url.host}${url.pathname} with the token of profile "${profileName}"`;
  if (plan.method === 'GET' && inside) {
    return { invocationMessage };
  }
  const subscriptionId = plan.subscriptionId ?? defaultSubscriptionId;
  const lines = [
    `Send ${plan.method} ${plan.url}`,
    `Host: ${url.host}`,
    `Profile: ${profileName} (its Fortellis token goes in the Authorization header)`,
    `Subscription-Id: ${subscriptionId ?? '(none)'}`,
  ];
  if (plan.body !== undefined) {
    lines.push(`Body: ${Buffer.byteLength(plan.body, 'utf8')} bytes`);
  }
  if (!inside) {
    lines.push(`${url.host} is outside the profile's API base (${apiBaseUrl}): the token would leave the Fortellis environment.`);
  } else {
    lines.push(`A ${plan.method} request may change data at the API provider.`);
  }
  return {
    invocationMessage,
    confirmation: { title: `Fortellis: ${plan.method} to ${url.host} as "${profileName}"?`, message: lines.join('\n\n') },
  };
}
