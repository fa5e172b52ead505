/**
 * The last requests sent with the token (Call API, a spec's Call, a re-run from the history): what was sent and what
 * came back, never the token. Kept per user, newest first, at most MAX_HISTORY.
 */
import type { RenewedCall } from './apiCall';
import type { RequestDraft } from './apiRequestSteps';
import { isArchiveName } from './responseArchive';

export const MAX_HISTORY = 100;

/** A body longer than this is not kept: the history lives in VS Code's global state. */
export const MAX_KEPT_BODY_CHARS = 64 * 1024;

export interface HistoryEntry {
  /** When it was sent, ms since the epoch. */
  readonly at: number;
  readonly profile: string;
  /** Who sent it: "Call API", "Call GET /orders", "History". */
  readonly label: string;
  readonly method: string;
  readonly url: string;
  readonly subscriptionId: string;
  readonly accept?: string;
  readonly contentType?: string;
  readonly extraHeaders?: ReadonlyArray<readonly [string, string]>;
  readonly body?: string;
  /** The body was longer than MAX_KEPT_BODY_CHARS and is not kept. */
  readonly bodyLeftOut?: true;
  readonly status: number;
  readonly elapsedMs: number;
  readonly requestId: string;
  /** Its response view, kept in the response archive (see responseArchive.ts), and the view's language. */
  readonly response?: { readonly file: string; readonly languageId: string };
}

/**
 * The entry of a sent request. The token is not in it; `redact` (the extension's redactor, which knows every token and
 * secret) runs over each text, so a token pasted into a URL, a header or a body is not kept either.
 */
export function historyEntry(label: string, profile: string, { request, response }: RenewedCall, at: number, redact: (text: string) => string): HistoryEntry {
  const withoutToken = (text: string): string => redact(request.token ? text.split(request.token).join('[redacted]') : text);
  const body =
    request.body === undefined ? {} : request.body.length > MAX_KEPT_BODY_CHARS ? { bodyLeftOut: true as const } : { body: withoutToken(request.body) };
  return {
    at,
    profile,
    label,
    method: request.method,
    url: withoutToken(request.url),
    subscriptionId: request.subscriptionId,
    ...(request.accept !== undefined && { accept: request.accept }),
    ...(request.contentType !== undefined && { contentType: request.contentType }),
    ...(request.extraHeaders?.length && { extraHeaders: request.extraHeaders.map(([name, value]) => [name, withoutToken(value)] as const) }),
    ...body,
    status: response.status,
    elapsedMs: response.elapsedMs,
    requestId: response.requestId,
  };
}

/** The history with `entry` first, at most MAX_HISTORY. */
export function withEntry(history: readonly HistoryEntry[], entry: HistoryEntry): HistoryEntry[] {
  return [entry, ...history].slice(0, MAX_HISTORY);
}

/** What to send again: the same request, to be sent with a fresh token and a new Request-Id. */
export function draftOf(entry: HistoryEntry): RequestDraft {
  return {
    method: entry.method,
    url: entry.url,
    ...(entry.body !== undefined && { body: entry.body }),
    ...(entry.contentType !== undefined && { contentType: entry.contentType }),
    ...(entry.accept !== undefined && { accept: entry.accept }),
    ...(entry.extraHeaders !== undefined && { extraHeaders: entry.extraHeaders }),
  };
}

/** The stored history as far as it is well formed: anything else (another version's, a hand edit) is left out. */
export function parseHistory(stored: unknown): HistoryEntry[] {
  if (!Array.isArray(stored)) {
    return [];
  }
  const text = (value: unknown): value is string => typeof value === 'string';
  const number = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
  return stored
    .filter((entry): entry is HistoryEntry => {
      if (typeof entry !== 'object' || entry === null) {
        return false;
      }
      const e = entry as Record<string, unknown>;
      const headers = e.extraHeaders;
      return (
        number(e.at) &&
        text(e.profile) &&
        text(e.label) &&
        text(e.method) &&
        text(e.url) &&
        text(e.subscriptionId) &&
        number(e.status) &&
        number(e.elapsedMs) &&
        text(e.requestId) &&
        [e.accept, e.contentType, e.body].every((value) => value === undefined || text(value)) &&
        (e.response === undefined ||
          (typeof e.response === 'object' &&
            e.response !== null &&
            isArchiveName((e.response as Record<string, unknown>).file) &&
            text((e.response as Record<string, unknown>).languageId))) &&
        (headers === undefined || (Array.isArray(headers) && headers.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every(text))))
      );
    })
    .slice(0, MAX_HISTORY);
}
