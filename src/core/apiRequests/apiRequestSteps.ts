/**
 * The VS Code-free steps of the one request pipeline (src/platform/requests/apiRequestPipeline.ts), which Call API, a
 * spec's Call and the agent tools' call_api go through: the request built from a draft, sent renewing the token once,
 * and the one log line that tells of it.
 */
import { randomUUID } from 'node:crypto';
import type { HttpOptions } from '../http/limitedFetch';
import { type ApiRequest, type RenewedCall, sendRenewingOnce } from './apiCall';
import type { FortellisRequestParts } from './fortellisHeaders';

/** What is to be sent, before a token and a Subscription-Id are added: from the prompts, a spec or an agent. */
export type RequestDraft = Omit<FortellisRequestParts, 'subscriptionId' | 'requestId'>;

/** The request that carries `token` and `subscriptionId`, with a new Request-Id; a body's type defaults to JSON there. */
export function buildApiRequest(draft: RequestDraft, token: string, subscriptionId: string, newRequestId: () => string = randomUUID): ApiRequest {
  return { ...draft, token, subscriptionId, requestId: newRequestId() };
}

export interface RenewHooks {
  /** Throws when the caller gave up: asked before and after the token is renewed. */
  readonly throwIfCancelled?: () => void;
  /** Each renewed token (the agent tools keep it out of their results). */
  readonly onRenewed?: (token: string) => void;
}

/**
 * Sends the draft with `token`; when the gateway refuses the token, sends it once more with the one `renew` gives
 * (see sendRenewingOnce).
 */
export function sendDraft(
  draft: RequestDraft,
  token: string,
  subscriptionId: string,
  renew: () => Promise<string>,
  http: HttpOptions,
  hooks: RenewHooks = {},
): Promise<RenewedCall> {
  const renewToken = async (): Promise<string> => {
    hooks.throwIfCancelled?.();
    const renewed = await renew();
    hooks.onRenewed?.(renewed);
    hooks.throwIfCancelled?.();
    return renewed;
  };
  return sendRenewingOnce(buildApiRequest(draft, token, subscriptionId), renewToken, randomUUID, http);
}

/**
 * The log line of a sent request: who sent it (`label`), where, as which profile and Subscription-Id, the answer's
 * status, time and Request-Id, the gateway's error code if any, and the caller's verdict (a spec's response check).
 * The token is not in it.
 */
export function sentCallLogLine(label: string, profileName: string, { request, response }: RenewedCall, verdict?: string): string {
  const subscriptionId = request.subscriptionId || '(none)';
  const gateway = response.gatewayError ? `, ${response.gatewayError.code}` : '';
  return `${label}: ${request.method} ${request.url} (profile "${profileName}", Subscription-Id ${subscriptionId}) → ${response.status} in ${response.elapsedMs} ms, Request-Id ${response.requestId}${gateway}${verdict ? `: ${verdict}` : ''}`;
}
