/**
 * The response of a call from a spec, as one document: the status line, timing, Request-Id (once), the check against
 * the spec and the headers come first as `//` comments, then the body, so that a JSON body opens as JSON with
 * comments (highlighting and folding). The token never appears in it.
 */
import { type ApiRequest, type ApiResponse, MAX_API_RESPONSE_BYTES, type RenewedCall, retryNote } from '../apiRequests/apiCall';
import { FORTELLIS_HEADERS } from '../apiRequests/fortellisHeaders';
import { withoutControlCharacters } from '../text/printable';
import { REDACTED } from '../text/redaction';
import type { ResponseCheck } from './responseCheck';

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

export function responseView(
  request: ApiRequest,
  response: ApiResponse,
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
  if (response.truncated) {
    head.push(`Body truncated: only its first ${MAX_API_RESPONSE_BYTES / (1024 * 1024)} MB is shown.`);
  }
  head.push(
    '',
    ...response.headers.filter(([name]) => name.toLowerCase() !== FORTELLIS_HEADERS.requestId.toLowerCase()).map(([name, value]) => `${name}: ${value}`),
  );
  let body = response.bodyText;
  let json = body.length === 0;
  if (!response.truncated && body.length > 0) {
    try {
      body = JSON.stringify(JSON.parse(body), null, 2);
      json = true;
    } catch {
      // Not JSON: shown as received.
    }
  }
  const comment = json ? '// ' : '';
  const text = [...head.map((line) => `${comment}${line}`.trimEnd()), ...(body.length > 0 ? ['', body] : [`${comment}(empty body)`])].join('\n');
  return { text: request.token ? text.split(request.token).join(REDACTED) : text, languageId: json ? 'jsonc' : 'plaintext' };
}
