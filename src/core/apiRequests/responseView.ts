/**
 * The one view of a response, from Call API or a spec's Call: the status line, timing, Request-Id (once), the check
 * against the spec (for a spec's Call), the gateway's hint and the headers come first as `//` comments, then the body,
 * so that a JSON body opens as JSON with comments (highlighting and folding). The token never appears in it.
 */
import { type ApiRequest, type ApiResponse, MAX_API_RESPONSE_BYTES, type RenewedCall, retryNote } from './apiCall';
import { FORTELLIS_HEADERS } from './fortellisHeaders';
import { headerValue } from '../http/limitedFetch';
import { withoutControlCharacters } from '../text/printable';
import { REDACTED } from '../text/redaction';
import type { ResponseCheck } from '../specs/responseCheck';

/** The body as the view shows it: JSON indented, anything else as received. */
export interface ResponseBody {
  readonly text: string;
  /** JSON (or empty): the view is jsonc, its head `//` comments. */
  readonly json: boolean;
}

/**
 * Indents a JSON body (a truncated one is shown as received). For a 5 MB body this takes about 100 ms, so it runs in
 * the spec worker, with the response check (see SpecService).
 */
export function responseBody(bodyText: string, truncated: boolean | undefined): ResponseBody {
  if (truncated || bodyText.length === 0) {
    return { text: bodyText, json: bodyText.length === 0 };
  }
  try {
    return { text: JSON.stringify(JSON.parse(bodyText), null, 2), json: true };
  } catch {
    // Not JSON: shown as received.
    return { text: bodyText, json: false };
  }
}

export interface ResponseView {
  readonly text: string;
  /** jsonc when the body is JSON (or empty), else plaintext. */
  readonly languageId: 'jsonc' | 'plaintext';
}

/** The check as lines: "Matches the spec", each mismatch with its JSON path, or the undocumented status. */
export function checkLines(check: ResponseCheck, label: string): string[] {
  // One line, whatever the spec's path key has in it (specOperation refuses control characters already).
  const operationLabel = withoutControlCharacters(label);
  const notChecked = (check.verdict === 'matches' || check.verdict === 'mismatches') && check.notChecked ? check.notChecked : [];
  const skipped = notChecked.length > 0 ? ` (${notChecked.length} pattern${notChecked.length === 1 ? '' : 's'} not checked, below)` : '';
  const notCheckedLines = notChecked.map((each) => `  ${each.path}: ${each.message}`);
  switch (check.verdict) {
    case 'matches':
      return [`✓ Matches the spec: ${operationLabel}, response ${check.documentedAs}${skipped}.`, ...notCheckedLines];
    case 'mismatches':
      return [
        `✗ Does not match the spec: ${operationLabel}, response ${check.documentedAs}: ${check.mismatches.length} mismatch${check.mismatches.length === 1 ? '' : 'es'}${skipped}.`,
        ...check.mismatches.map((mismatch) => `  ${mismatch.path}: ${mismatch.message}`),
        ...notCheckedLines,
      ];
    case 'undocumented':
      return [`⚠ Undocumented status ${check.status}: ${operationLabel} documents ${check.documented.join(', ') || 'no response'}.`];
    case 'unchecked':
      return [`· Not checked against the spec (${operationLabel}, response ${check.documentedAs}): ${check.reason}.`];
  }
}

/** `body`: the response's body as responseBody gives it. */
export function responseView(
  request: ApiRequest,
  response: ApiResponse,
  body: ResponseBody,
  options: { check?: ResponseCheck; operationLabel?: string; retried?: RenewedCall['retried'] } = {},
): ResponseView {
  const head = [
    `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} · ${response.elapsedMs} ms · ${request.method} ${request.url}`,
    `${FORTELLIS_HEADERS.requestId}: ${response.requestId}`,
  ];
  if (options.check) {
    head.push(...checkLines(options.check, options.operationLabel ?? `${request.method} ${new URL(request.url).pathname}`));
  }
  if (options.retried) {
    head.push(retryNote(options.retried));
  }
  if (response.gatewayError) {
    head.push(`${response.gatewayError.code}: ${response.gatewayError.hint}`);
  }
  const location = response.status >= 300 && response.status < 400 ? headerValue(response.headers, 'location') : undefined;
  if (location) {
    head.push(`Redirect not followed: the token is sent only to the host you entered. Call ${location} directly if you trust it.`);
  }
  if (response.truncated) {
    head.push(`Body truncated: only its first ${MAX_API_RESPONSE_BYTES / (1024 * 1024)} MB is shown.`);
  }
  head.push(
    '',
    ...response.headers.filter(([name]) => name.toLowerCase() !== FORTELLIS_HEADERS.requestId.toLowerCase()).map(([name, value]) => `${name}: ${value}`),
  );
  const comment = body.json ? '// ' : '';
  const text = [...head.map((line) => `${comment}${line}`.trimEnd()), ...(body.text.length > 0 ? ['', body.text] : [`${comment}(empty body)`])].join('\n');
  return { text: request.token ? text.split(request.token).join(REDACTED) : text, languageId: body.json ? 'jsonc' : 'plaintext' };
}
