/**
 * "Open as .http": every operation of a spec as one .http file (httpyac, REST Client), each request filled with the
 * spec's examples, reading the token from FORTELLIS_TOKEN and sending a new Request-Id each time.
 *
 * The spec comes from a repository and its author may be hostile: nothing it says may become a line of the file's
 * own (a request line, a header, a `###` separator, a `@variable` or `# @metadata` line) or an httpyac template
 * ({{…}}, which runs JavaScript). So an operation whose path key is not a plain URL path is skipped with a comment;
 * comments are one line, without templates or a leading `@`; a header is written only with a name and a value the
 * one header rule accepts (fortellisHeaders.ts: printable ASCII); bodies are written as JSON only, with every {{ escaped.
 */
import { FORTELLIS_HEADERS, headerValueRefusal, JSON_MEDIA_TYPE } from '../apiRequests/fortellisHeaders';
import { BEARER } from '../snippets/snippetRequest';
import { commentText, DOTENV_TOKEN, DOTENV_TOKEN_NOTE, httpComment, httpFileText, jsonBody, NEW_UUID, urlText } from '../text/httpFileText';
import { exampleValues, filledRequest, headersNotSent } from './specRequest';
import { type BundledSpec, specOperation } from './specModel';
import type { OperationLocation } from './specDocument';

export interface SpecHttpFileOptions {
  readonly title: string;
  /** Where the operations are called (see mappedBaseUrl). */
  readonly baseUrl: string;
  readonly subscriptionId: string;
}

/** A path key as a URL path has it: RFC 3986 path characters, percent escapes and {parameter} templates. */
const PATH_KEY = /^\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2}|\{[A-Za-z0-9_.\-$]+\})*$/u;

export function specHttpFile(spec: BundledSpec, operations: readonly OperationLocation[], options: SpecHttpFileOptions): string {
  const lines = [
    `# ${httpComment(options.title)}: every operation of the spec, filled with its examples. Send them with httpyac or REST Client.`,
    `# ${DOTENV_TOKEN_NOTE}`,
    `@baseUrl = ${urlText(options.baseUrl)}`,
    `@subscriptionId = ${urlText(options.subscriptionId)}`,
    '',
  ];
  for (const location of operations) {
    const method = /^[A-Z]+$/u.test(location.method) ? location.method : httpComment(location.method);
    if (!PATH_KEY.test(location.path)) {
      const shown = commentText(JSON.stringify(location.path).slice(1, -1));
      lines.push('###', `# skipped: ${method} ${shown}: the spec's path has control characters or characters not valid in a URL path`, '');
      continue;
    }
    const operation = specOperation(spec, location.method, location.path);
    if (!operation) {
      continue;
    }
    let request;
    try {
      request = filledRequest(spec.document, operation, '{{baseUrl}}', exampleValues(operation));
    } catch (error) {
      lines.push('###', `# ${operation.method} ${commentText(operation.path)}: left out (${httpComment((error as Error).message)})`, '');
      continue;
    }
    const url = `{{baseUrl}}${urlText(request.url.slice('{{baseUrl}}'.length))}`;
    const notes: string[] = headersNotSent(operation).map(httpComment);
    const headers: string[] = [];
    for (const [name, value] of request.headers) {
      const written = headerLine(name, value);
      if (written.line !== undefined) {
        headers.push(written.line);
      } else {
        notes.push(written.note);
      }
    }
    const body = request.body === undefined ? undefined : jsonBody(request.body);
    if (body?.note) {
      notes.push(body.note);
    }
    lines.push(
      '###',
      ...(operation.summary ? [`# ${httpComment(operation.summary)}`] : []),
      ...notes.map((note) => `# ${note}`),
      ...(operation.operationId && /^[\w-]+$/.test(operation.operationId) ? [`# @name ${operation.operationId}`] : []),
      `${request.method} ${url}`,
      `${FORTELLIS_HEADERS.authorization}: ${BEARER} ${DOTENV_TOKEN}`,
      `${FORTELLIS_HEADERS.subscriptionId}: {{subscriptionId}}`,
      `${FORTELLIS_HEADERS.requestId}: ${NEW_UUID}`,
      `${FORTELLIS_HEADERS.accept}: ${mediaType(request.accept)}`,
      ...headers,
      ...(body !== undefined ? [`${FORTELLIS_HEADERS.contentType}: ${mediaType(request.contentType ?? JSON_MEDIA_TYPE)}`, '', body.text] : []),
      '',
    );
  }
  return lines.join('\n');
}

/** A media type from the spec for Accept or Content-Type, else JSON's. */
function mediaType(text: string): string {
  return headerValueRefusal(FORTELLIS_HEADERS.accept, text) === undefined && !text.includes('{') && !text.includes('}') && text.trim() !== ''
    ? text
    : JSON_MEDIA_TYPE;
}

/** `Name: value` of a header parameter filledRequest kept, or why its value is left out (no line of the spec's choosing, no template). */
function headerLine(name: string, value: string): { line: string; note?: undefined } | { line?: undefined; note: string } {
  if (headerValueRefusal(name, value)) {
    return { note: `${name} left out: its example has line breaks or characters other than printable ASCII` };
  }
  const escaped = httpFileText(value.trim());
  if (escaped === undefined) {
    return { note: `${name} left out: its example has double braces that cannot be escaped` };
  }
  return { line: `${name}: ${escaped}` };
}
