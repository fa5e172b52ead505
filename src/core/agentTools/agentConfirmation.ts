/**
 * What the user is asked before call_api sends a request. Two layers:
 * - VS Code's chat confirmation (prepareInvocation): every non-GET, and every URL outside the trusted API base. The user
 *   can switch it off ("Always allow", chat.tools.global.autoApprove, Bypass Approvals).
 * - The extension's own modal, asked in invoke() whatever VS Code's settings are: every URL outside the trusted API base
 *   whose host was not allowed this session (Call API's approvals), and in Restricted Mode every request.
 */
import { confirmHostMessage, type DestinationQuestion, hostToConfirm, sendToHostButton, underTrustedBase } from '../apiRequests/tokenDestinations';
import { redactToolResult, type ResultSecrets } from './agentResultRedaction';
import type { ApiCallPlan } from './agentToolInputs';
import { AGENT_TOOLS } from './agentToolNames';

export interface CallApiConfirmation {
  /** Shown while the tool runs. */
  readonly invocationMessage: string;
  /** undefined: a GET under the API base, which runs without asking. */
  readonly confirmation?: { readonly title: string; readonly message: string };
}

/** What a confirmation shows of a request body, at most: the rest is cut, with the total size stated. */
export const BODY_PREVIEW_CHARS = 500;

/** The body as a confirmation shows it: redacted as a tool result is, then cut to BODY_PREVIEW_CHARS. */
export function bodyPreview(body: string, secrets: ResultSecrets): string {
  const [redacted] = redactToolResult([body], secrets);
  const bytes = Buffer.byteLength(body, 'utf8');
  if (redacted.length <= BODY_PREVIEW_CHARS) {
    return `Body (${bytes} bytes): ${redacted}`;
  }
  // Not in the middle of a surrogate pair.
  const end = /[\ud800-\udbff]/.test(redacted[BODY_PREVIEW_CHARS - 1]) ? BODY_PREVIEW_CHARS - 1 : BODY_PREVIEW_CHARS;
  return `Body (${bytes} bytes, the first ${end} characters shown): ${redacted.slice(0, end)}…`;
}

/** Who and what: the lines both confirmations show. */
function requestLines(plan: ApiCallPlan, profileName: string, subscriptionId: string | undefined, secrets: ResultSecrets): string[] {
  const lines = [
    `Send ${plan.method} ${plan.url}`,
    `Host: ${new URL(plan.url).host}`,
    `Profile: ${profileName} (its Fortellis token goes in the Authorization header)`,
    `Subscription-Id: ${subscriptionId ?? '(none)'}`,
  ];
  if (plan.body !== undefined) {
    lines.push(bodyPreview(plan.body, secrets));
  }
  return lines;
}

/** VS Code's chat confirmation (prepareInvocation). `trustedBase`: the profile's trustedApiBase, undefined if it has none. */
export function callApiConfirmation(
  plan: ApiCallPlan,
  trustedBase: string | undefined,
  profileName: string,
  defaultSubscriptionId: string | undefined,
  secrets: ResultSecrets,
): CallApiConfirmation {
  const url = new URL(plan.url);
  const inside = underTrustedBase(plan.url, trustedBase);
  const invocationMessage = `Fortellis: ${plan.method} ${url.host}${url.pathname} with the token of profile "${profileName}"`;
  if (plan.method === 'GET' && inside) {
    return { invocationMessage };
  }
  const lines = requestLines(plan, profileName, plan.subscriptionId ?? defaultSubscriptionId, secrets);
  if (!inside) {
    const where = trustedBase ? `outside the profile's API base (${trustedBase})` : 'not trusted: this profile has no API base configured';
    lines.push(`${url.host} is ${where}: the token would leave the Fortellis environment. Fortellis asks again in its own dialog before sending it there.`);
  } else {
    lines.push(`A ${plan.method} request may change data at the API provider.`);
  }
  return {
    invocationMessage,
    confirmation: { title: `Fortellis: ${plan.method} to ${url.host} as "${profileName}"?`, message: lines.join('\n\n') },
  };
}

export interface CallApiQuestionContext {
  /** The profile's trustedApiBase; undefined: it trusts no host. */
  readonly trustedBase: string | undefined;
  readonly profileName: string;
  readonly defaultSubscriptionId: string | undefined;
  /** Restricted Mode (an untrusted workspace): every request is asked. */
  readonly restricted: boolean;
  /** What the body preview must not show. */
  readonly secrets: ResultSecrets;
}

/**
 * The extension's own question in invoke(), recomputed from the request and this session's allowed hosts; undefined
 * when the request may go without asking: under the trusted API base (or to an allowed host), outside Restricted Mode.
 */
export function callApiQuestion(plan: ApiCallPlan, context: CallApiQuestionContext, allowedHosts: ReadonlySet<string>): DestinationQuestion | undefined {
  const host = hostToConfirm(plan.url, context.trustedBase, allowedHosts);
  if (host === undefined && !context.restricted) {
    return undefined;
  }
  const lines = [
    `An AI agent asks for this through the tool ${AGENT_TOOLS.callApi}.`,
    ...requestLines(plan, context.profileName, plan.subscriptionId ?? context.defaultSubscriptionId, context.secrets),
  ];
  if (context.restricted) {
    lines.push('This workspace is in Restricted Mode: Fortellis asks before every request an agent makes here.');
  }
  const detail = lines.join('\n');
  if (host !== undefined) {
    return { message: confirmHostMessage(host, context.profileName, context.trustedBase), detail, button: sendToHostButton(host), host };
  }
  const url = new URL(plan.url);
  return { message: `Send ${plan.method} ${url.host}${url.pathname} with the token of "${context.profileName}"?`, detail, button: 'Send' };
}

/** The tool's result when the user did not send: nothing left the machine. */
export function declinedResult(plan: ApiCallPlan): string {
  return `Nothing was sent: the user declined ${plan.method} ${plan.url} in Fortellis' confirmation dialog, so the token did not leave VS Code. Do not retry this request unless the user asks for it.`;
}
